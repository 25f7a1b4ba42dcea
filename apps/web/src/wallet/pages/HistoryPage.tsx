import { useTranslation } from 'react-i18next';
import { receiptHistory } from '../../../../../libs/credentials/src/holder/consent-receipt.js';
import { useWallet } from '../context';
import { claimLabel, typeLabel, type Lang } from '../logic/view';
import { walletZhCN } from '../locales';

/** Consent receipts, newest first: who asked, when, why, what left, and what became of it. */
export function HistoryPage() {
  const { t, i18n } = useTranslation();
  const { store } = useWallet();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const receipts = receiptHistory(store.data.receipts);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('wallet.history.title')}</h2>
      {receipts.length === 0 && <p>{t('wallet.history.none')}</p>}
      {receipts.map((r) => (
        <article key={r.id} className="receipt" data-testid="receipt">
          <dl className="claims">
            <dt>{t('wallet.history.at')}</dt>
            <dd>{new Date(r.at).toLocaleString(lang)}</dd>
            <dt>{t('wallet.history.verifier')}</dt>
            <dd data-testid="receipt-verifier">{r.verifier.name?.[lang] ?? r.verifier.did ?? '—'}</dd>
            {r.purpose && (
              <>
                <dt>{t('wallet.history.purpose')}</dt>
                <dd>{r.purpose[lang]}</dd>
              </>
            )}
            <dt>{t('wallet.history.outcome')}</dt>
            <dd data-testid="receipt-outcome">
              {t(`wallet.history.outcomes.${r.outcome}`)}
              {r.reason && Object.hasOwn(walletZhCN.errors, r.reason) ? ` — ${t(`wallet.errors.${r.reason}`)}` : ''}
            </dd>
            {r.disclosed.length > 0 && (
              <>
                <dt>{t('wallet.history.claims')}</dt>
                <dd data-testid="receipt-claims">{r.disclosed.map((d) => `${typeLabel(d.type, lang)}: ${d.claims.map((c) => claimLabel(d.type, c, lang)).join(lang === 'en' ? ', ' : '、')}`).join('; ')}</dd>
              </>
            )}
          </dl>
        </article>
      ))}
    </section>
  );
}
