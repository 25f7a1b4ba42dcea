import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusMirror } from '../../../../../libs/credentials/src/status/status-mirror.js';
import type { TrustMirror } from '../../../../../libs/credentials/src/trust/trust-mirror.js';
import { useWallet } from '../context';
import { readStatusLists, readTrustRegistry } from '../logic/chain';
import { claimText, credentialCard, type CredentialCard, type Lang } from '../logic/view';

const ACCREDITATION_KEY: Record<string, string> = { accredited: 'accredited', unknown: 'accreditationUnknown' };
const date = (iso: string | undefined, lang: string) => (iso ? new Date(iso).toLocaleDateString(lang) : '—');

/** The credentials held: type and agency, accreditation, validity and status read from the chain as whole lists. */
export function CredentialsPage() {
  const { t, i18n } = useTranslation();
  const { store, settings } = useWallet();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [chain, setChain] = useState<{ lists?: StatusMirror; trust?: TrustMirror }>();

  useEffect(() => {
    let live = true;
    Promise.all([readStatusLists(settings), readTrustRegistry(settings)]).then(([lists, trust]) => live && setChain({ lists, trust }));
    return () => {
      live = false;
    };
  }, [settings]);

  const cards: CredentialCard[] = [...store.data.credentials]
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .map((c) => credentialCard(c, lang, settings.chainId, chain?.lists, chain?.trust));

  return (
    <section aria-labelledby="credentials-title">
      <h2 id="credentials-title">{t('wallet.credentials.title')}</h2>
      {!chain && cards.length > 0 && (
        <p className="muted" role="status">
          {t('wallet.credentials.reading')}
        </p>
      )}
      {cards.length === 0 && <p>{t('wallet.credentials.none')}</p>}
      {cards.map((card) => (
        <article key={card.id} className="card credential" data-testid="credential" aria-labelledby={`title-${card.id}`}>
          <h3 id={`title-${card.id}`}>{card.typeLabel}</h3>
          <dl>
            <dt>{t('wallet.credentials.agency')}</dt>
            <dd data-testid="credential-agency">
              {card.agency}
              <br />
              <span className="muted" data-testid="credential-accreditation">
                {chain ? t(`wallet.credentials.${ACCREDITATION_KEY[card.accreditation] ?? 'notAccredited'}`) : ''}
              </span>
            </dd>
            <dt>{t('wallet.credentials.validFrom')}</dt>
            <dd>{date(card.validFrom, lang)}</dd>
            <dt>{t('wallet.credentials.validUntil')}</dt>
            <dd>{date(card.validUntil, lang)}</dd>
            <dt>{t('wallet.credentials.status')}</dt>
            <dd>
              {chain ? (
                <span className={`badge ${card.status}`} data-testid="credential-status">
                  {t(`wallet.status.${card.status}`)}
                </span>
              ) : (
                '…'
              )}
            </dd>
          </dl>
          <details>
            <summary>{t('wallet.credentials.details')}</summary>
            <dl className="claims" data-testid="credential-claims">
              {card.claims.map((claim) => (
                <div key={claim.key} className="pair">
                  <dt>{claim.label}</dt>
                  <dd>{claim.valueLabel ?? claimText(claim.value, { yes: t('wallet.yes'), no: t('wallet.no') })}</dd>
                </div>
              ))}
            </dl>
          </details>
        </article>
      ))}
    </section>
  );
}
