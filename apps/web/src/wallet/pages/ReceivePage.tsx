import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResolvedOffer } from '../../../../../libs/credentials/src/oid4vci/client-offer.js';
import { ErrorText, Field, LinkForm } from '../components';
import { useWallet } from '../context';
import { errorCode } from '../i18n';
import { readOffer, receiveOffer } from '../logic/receive';
import { agencyName, typeLabel, type Lang } from '../logic/view';

/** Receiving: the offer text (or `?offer=`), who offers what, the PIN, then the credential into the store. */
export function ReceivePage() {
  const { t, i18n } = useTranslation();
  const { store, changed } = useWallet();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [text, setText] = useState('');
  const [offer, setOffer] = useState<ResolvedOffer>();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [received, setReceived] = useState<{ type: string; agency: string }>();

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(errorCode(e));
    } finally {
      setBusy(false);
    }
  }

  const readText = (value: string) => {
    setReceived(undefined);
    void run(async () => setOffer(await readOffer(value)));
  };

  const accept = (event: FormEvent) => {
    event.preventDefault();
    if (!offer) return;
    void run(async () => {
      if (offer.txCode && !pin.trim()) throw 'tx_code_required';
      const credential = await receiveOffer(offer, offer.txCode ? pin : undefined);
      store.data.credentials.push(credential);
      await store.save();
      changed();
      setReceived({ type: typeLabel(credential.type, lang), agency: agencyName(credential, lang) });
      setOffer(undefined);
      setText('');
      setPin('');
    });
  };

  const offeredBy = offer ? agencyName({ issuer: offer.credentialIssuer, issuerName: Object.fromEntries(offer.issuerDisplay.map((d) => [d.locale, d.name])) }, lang) : '';
  return (
    <section className="card" aria-labelledby="receive-title">
      <h2 id="receive-title">{t('wallet.receive.title')}</h2>
      {!offer && (
        <LinkForm kind="offer" text={text} onText={setText} onRead={readText} busy={busy} />
      )}
      {offer && (
        <form onSubmit={accept}>
          <p data-testid="offer-summary">{t('wallet.receive.offered', { agency: offeredBy, type: typeLabel(offer.type, lang) })}</p>
          {offer.txCode && (
            <Field id="pin" label={t('wallet.receive.pin')} hint={t('wallet.receive.pinHint')}>
              <input
                id="pin"
                inputMode={offer.txCode.inputMode === 'text' ? 'text' : 'numeric'}
                autoComplete="one-time-code"
                aria-describedby="pin-hint"
                maxLength={offer.txCode.length ?? 32}
                value={pin}
                onChange={(e) => setPin(e.target.value)}
              />
            </Field>
          )}
          <button type="submit" disabled={busy}>
            {busy ? t('wallet.receive.receiving') : t('wallet.receive.accept')}
          </button>
        </form>
      )}
      <ErrorText code={error} testId="receive-error" />
      {received && (
        <p className="ok" role="status" data-testid="received">
          {t('wallet.receive.received', received)}
        </p>
      )}
    </section>
  );
}
