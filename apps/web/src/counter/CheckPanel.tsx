import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterCheckView, CreatedCounterCheck, ShownClaim } from '../../../verifier/src/counter/dto/counter.dto';
import { QrCode } from '../portal/components/QrCode';
import { CHECK_NAMES, problemSentence } from './problems';

type Lang = 'zh-CN' | 'en';

/**
 * Follows a check by server-sent events until it is final (the stream ends then; closing it here keeps the
 * browser from reconnecting). The view is the verifier's, already reduced to what the counter may show.
 */
function useLiveCheck(created: CreatedCounterCheck): CounterCheckView {
  const [view, setView] = useState<CounterCheckView>(created);
  useEffect(() => {
    setView(created);
    const events = new EventSource(`/counter/checks/${encodeURIComponent(created.id)}/events`);
    events.onmessage = (message) => {
      const next = JSON.parse(String(message.data)) as CounterCheckView;
      setView(next);
      if (next.status !== 'pending') events.close();
    };
    return () => events.close();
  }, [created]);
  return view;
}

function shownValue(value: unknown, t: (key: string) => string): string {
  if (value === true) return t('counter.result.yes');
  if (value === false) return t('counter.result.no');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The QR code and link of a check, then its outcome live: a green or red line per check, the asked claims, nothing else. */
export function CheckPanel({ created, onFinal, onNew }: { created: CreatedCounterCheck; onFinal(): void; onNew(): void }) {
  const { t, i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const view = useLiveCheck(created);
  const [copied, setCopied] = useState(false);
  const final = view.status !== 'pending';

  useEffect(() => {
    if (final) onFinal();
  }, [final, onFinal]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.authorizationRequestUri);
      setCopied(true);
    } catch {
      (document.getElementById('check-uri') as HTMLInputElement | null)?.select();
    }
  }

  const name = view.labels[lang];
  const outcome = view.outcome;
  return (
    <section className="card" aria-labelledby="request-title">
      <h2 id="request-title">{final ? t('counter.result.title') : t('counter.request.title')}</h2>
      {!final && (
        <div className="offer">
          <QrCode value={created.authorizationRequestUri} alt={t('counter.request.qrAlt', { check: name })} testId="check-qr" />
          <div>
            <p className="check-name">{name}</p>
            <div className="field">
              <label htmlFor="check-uri">{t('counter.request.link')}</label>
              <input id="check-uri" className="mono" readOnly value={created.authorizationRequestUri} data-testid="check-uri" onFocus={(e) => e.target.select()} />
            </div>
            <button type="button" className="secondary" onClick={() => void copy()}>
              {t('counter.request.copy')}
            </button>{' '}
            <span role="status">{copied ? t('counter.request.copied') : ''}</span>
            <p className="hint">{t('counter.request.expires', { time: new Date(created.expiresAt).toLocaleTimeString(lang) })}</p>
          </div>
        </div>
      )}
      <div aria-live="polite" data-testid="result">
        {view.status === 'pending' && <p className="line wait">{t('counter.result.pending')}</p>}
        {view.status === 'expired' && (
          <p className="line bad" data-testid="outcome">
            ✗ {t('counter.result.expired')}
          </p>
        )}
        {outcome && (
          <>
            <p className={`line big ${outcome.verified ? 'good' : 'bad'}`} data-testid="outcome" data-verified={String(outcome.verified)}>
              {outcome.verified ? '✓ ' : '✗ '}
              {t(outcome.verified ? 'counter.result.verified' : 'counter.result.refused', { check: name })}
            </p>
            {outcome.encumbered && (
              <p className="line wait" data-testid="encumbered">
                ⚠ {t('counter.result.encumbered')}
              </p>
            )}
            {outcome.problems.length > 0 && (
              <ul className="lines" data-testid="problems">
                {outcome.problems.map((code) => (
                  <li key={code} className="line bad">
                    ✗ {problemSentence(code, lang)}
                  </li>
                ))}
              </ul>
            )}
            {outcome.claims.length > 0 && <Claims claims={outcome.claims} lang={lang} t={t} />}
            <h3>{t('counter.result.checks')}</h3>
            <ul className="lines" data-testid="check-lines">
              {outcome.checks
                .filter((c) => c.status !== 'skipped')
                .map((c) => (
                  <li key={c.check} className={`line ${c.status === 'passed' ? 'good' : 'bad'}`}>
                    {c.status === 'passed' ? '✓ ' : '✗ '}
                    {CHECK_NAMES[lang][c.check] ?? c.check}
                    {lang === 'en' ? ': ' : '：'}
                    {t(c.status === 'passed' ? 'counter.result.passed' : 'counter.result.failed')}
                  </li>
                ))}
            </ul>
          </>
        )}
      </div>
      {final && (
        <button type="button" onClick={onNew}>
          {t('counter.request.another')}
        </button>
      )}
    </section>
  );
}

function Claims({ claims, lang, t }: { claims: ShownClaim[]; lang: Lang; t: (key: string) => string }) {
  return (
    <>
      <h3>{t('counter.result.claims')}</h3>
      <dl className="claims" data-testid="claims">
        {claims.map((c) => (
          <div key={c.path.join('.')} data-testid="claim">
            <dt>{c.labels[lang]}</dt>
            <dd>{c.valueLabels?.[lang] ?? shownValue(c.value, t)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
