import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerifierRegistration } from '../../../../../libs/credentials/src/trust/verifier-scope.js';
import { ErrorText, LinkForm } from '../components';
import { useWallet } from '../context';
import { consent, decline, proposalIn, readRequest, type Proposal } from '../logic/present';
import { claimText, type Lang } from '../logic/view';

/** Who asks (their registered name and purpose from the chain), exactly what would leave, then consent. */
function VerifierCard({ did, registration, lang }: { did?: string; registration?: VerifierRegistration; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <dl className="claims" data-testid="verifier">
      <dt>{t('wallet.present.registeredAs')}</dt>
      <dd data-testid="verifier-name">{registration ? registration.name[lang] : t('wallet.present.unregistered')}</dd>
      {registration && (
        <>
          <dt>{t('wallet.present.purpose')}</dt>
          <dd data-testid="verifier-purpose">{registration.purpose[lang]}</dd>
        </>
      )}
      {did && (
        <>
          <dt>{t('wallet.present.verifier')}</dt>
          <dd className="mono">{did}</dd>
        </>
      )}
    </dl>
  );
}

export function PresentPage() {
  const { t, i18n } = useTranslation();
  const { store, settings, changed } = useWallet();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [proposal, setProposal] = useState<Proposal>();
  const [refusal, setRefusal] = useState<{ code: string; did?: string; registration?: VerifierRegistration; beyond?: string[] }>();
  const [done, setDone] = useState<'sent' | 'declined'>();

  async function run(work: () => Promise<void>) {
    setBusy(true);
    try {
      await work();
    } catch {
      setRefusal({ code: 'generic' });
    } finally {
      setBusy(false);
      changed();
    }
  }

  const readText = (value: string) => {
    setRefusal(undefined);
    setDone(undefined);
    void run(async () => {
      const outcome = await readRequest(value, settings, store, lang);
      if (outcome.ok) setProposal(outcome.proposal);
      else setRefusal({ code: outcome.code, did: outcome.verifierDid, registration: outcome.registration, beyond: outcome.beyond });
    });
  };

  const answer = (agree: boolean) =>
    void run(async () => {
      if (!proposal) return;
      if (!agree) {
        await decline(proposal, store);
        setDone('declined');
      } else {
        const outcome = await consent(proposal, store);
        if (outcome.ok) setDone('sent');
        else setRefusal({ code: outcome.code });
      }
      setProposal(undefined);
      setText('');
    });

  // Labelled in the language on screen now, not the one the request was read in.
  const shown = useMemo(() => proposal && proposalIn(proposal, lang), [proposal, lang]);
  const disclosed = shown?.credentials.reduce((n, c) => n + c.leaving.length, 0) ?? 0;
  return (
    <section className="card" aria-labelledby="present-title">
      <h2 id="present-title">{t('wallet.present.title')}</h2>
      {!proposal && (
        <LinkForm kind="request" text={text} onText={setText} onRead={readText} busy={busy} />
      )}
      {refusal && (
        <>
          <ErrorText code={refusal.code} testId="present-error" />
          {(refusal.registration || refusal.did) && <VerifierCard did={refusal.did} registration={refusal.registration} lang={lang} />}
          {refusal.beyond && <p>{t('wallet.present.beyond', { claims: refusal.beyond.join(', ') })}</p>}
        </>
      )}
      {shown && (
        <div data-testid="proposal">
          <VerifierCard did={shown.request.verifierDid} registration={shown.registration} lang={lang} />
          <p>
            <strong>{t('wallet.present.willLeave')}</strong>
          </p>
          {shown.credentials.map((c) => (
            <div key={c.planned.credentialQueryId} className="leaving">
              <p>{t('wallet.present.from', { type: c.typeLabel, agency: c.agency })}</p>
              <dl className="claims" data-testid="leaving">
                {c.leaving.map((claim) => (
                  <div key={claim.key} className="pair">
                    <dt>{claim.label}</dt>
                    <dd>{claim.valueLabel ?? claimText(claim.value, { yes: t('wallet.yes'), no: t('wallet.no') })}</dd>
                  </div>
                ))}
              </dl>
              {c.hidden.length > 0 && (
                <p className="muted" data-testid="hidden">
                  {t('wallet.present.staysHidden', { claims: c.hidden.join(lang === 'en' ? ', ' : '、') })}
                </p>
              )}
            </div>
          ))}
          <p data-testid="counted">{t('wallet.present.counted', { disclosed, asked: shown.asked })}</p>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => answer(true)}>
              {busy ? t('wallet.present.sending') : t('wallet.present.consent')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => answer(false)}>
              {t('wallet.present.decline')}
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="ok" role="status" data-testid="present-done">
          {t(`wallet.present.${done}`)}
        </p>
      )}
    </section>
  );
}
