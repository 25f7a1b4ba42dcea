import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterOptions, CreateCheckBody, CreatedCounterCheck } from '../../../verifier/src/counter/dto/counter.dto';
import { api } from '../shared/api';
import { counterErrorKey, sessionEnded } from './i18n';

type Lang = 'zh-CN' | 'en';
const COMPOSE = 'compose';

/**
 * The clerk picks a preset (those outside the registration are disabled, saying why) or composes a check from the
 * claims the registration allows; the verifier makes the OpenID4VP request.
 */
export function CheckPicker({ options, onCreated, expired }: { options: CounterOptions; onCreated(check: CreatedCounterCheck): void; expired(): void }) {
  const { t, i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const firstAllowed = options.presets.find((p) => p.allowed)?.id ?? (options.compose.length > 0 ? COMPOSE : '');
  const [choice, setChoice] = useState<string>(firstAllowed);
  const [district, setDistrict] = useState('');
  const [type, setType] = useState(options.compose[0]?.type ?? '');
  const [claims, setClaims] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const preset = options.presets.find((p) => p.id === choice);
  const composeOption = options.compose.find((c) => c.type === type);

  function reason(p: CounterOptions['presets'][number]): string {
    if (p.reason === 'type_not_registered') return t('counter.reasons.type_not_registered', { type: p.typeLabels[lang] });
    if (p.reason === 'claims_not_registered') return t('counter.reasons.claims_not_registered', { claims: (p.refusedClaims ?? []).map((c) => c.labels[lang]).join(lang === 'en' ? ', ' : '、') });
    return t(`counter.reasons.${p.reason ?? 'unknown'}`);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    let body: CreateCheckBody;
    if (choice === COMPOSE) {
      if (claims.length === 0) return setError('counter.choose.needClaims');
      body = { compose: { type, claims: claims.map((key) => key.split('.')) } };
    } else if (preset?.parameter) {
      if (!district.trim()) return setError('counter.choose.needDistrict');
      body = { preset: choice, parameter: district.trim() };
    } else body = { preset: choice };
    setBusy(true);
    try {
      onCreated(await api<CreatedCounterCheck>('POST', '/counter/checks', body));
    } catch (e) {
      if (sessionEnded(e)) return expired();
      setError(counterErrorKey(e));
    } finally {
      setBusy(false);
    }
  }

  const nothing = !options.presets.some((p) => p.allowed) && options.compose.length === 0;
  return (
    <section className="card" aria-labelledby="choose-title">
      <h2 id="choose-title">{t('counter.choose.title')}</h2>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('counter.choose.presets')}</legend>
          {options.presets.map((p) => (
            <div className="choice" key={p.id}>
              <input type="radio" name="check" id={`check-${p.id}`} value={p.id} checked={choice === p.id} disabled={!p.allowed} onChange={() => setChoice(p.id)} aria-describedby={`check-${p.id}-note`} />
              <label htmlFor={`check-${p.id}`}>{p.labels[lang].name}</label>
              <p className="hint" id={`check-${p.id}-note`} data-testid={`preset-note-${p.id}`}>
                {p.allowed ? p.labels[lang].description : t('counter.choose.unavailable') + reason(p)}
              </p>
            </div>
          ))}
          {options.compose.length > 0 && (
            <div className="choice">
              <input type="radio" name="check" id="check-compose" value={COMPOSE} checked={choice === COMPOSE} onChange={() => setChoice(COMPOSE)} aria-describedby="check-compose-note" />
              <label htmlFor="check-compose">{t('counter.choose.compose')}</label>
              <p className="hint" id="check-compose-note">
                {t('counter.choose.composeHint')}
              </p>
            </div>
          )}
        </fieldset>
        {preset?.parameter && (
          <div className="field">
            <label htmlFor="check-parameter">{preset.parameter.labels[lang]}</label>
            <input id="check-parameter" value={district} maxLength={preset.parameter.maxLength} onChange={(e) => setDistrict(e.target.value)} lang="zh-CN" />
          </div>
        )}
        {choice === COMPOSE && composeOption && (
          <>
            <div className="field">
              <label htmlFor="compose-type">{t('counter.choose.type')}</label>
              <select
                id="compose-type"
                value={type}
                onChange={(e) => {
                  setType(e.target.value);
                  setClaims([]);
                }}
              >
                {options.compose.map((c) => (
                  <option key={c.type} value={c.type}>
                    {c.typeLabels[lang]}
                  </option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend>{t('counter.choose.claims')}</legend>
              {composeOption.claims.map((c) => {
                const key = c.path.join('.');
                const id = `claim-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
                return (
                  <div className="choice" key={key}>
                    <input
                      type="checkbox"
                      id={id}
                      checked={claims.includes(key)}
                      onChange={(e) => setClaims((list) => (e.target.checked ? [...list, key] : list.filter((k) => k !== key)))}
                    />
                    <label htmlFor={id}>{c.labels[lang]}</label>
                  </div>
                );
              })}
            </fieldset>
          </>
        )}
        {nothing && <p className="alert">{t('counter.choose.nothing')}</p>}
        {error && (
          <p className="alert" role="alert" data-testid="check-error">
            {t(error)}
          </p>
        )}
        <button type="submit" disabled={busy || nothing || !choice}>
          {busy ? t('counter.choose.busy') : t('counter.choose.submit')}
        </button>
      </form>
    </section>
  );
}
