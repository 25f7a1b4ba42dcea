import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorKey } from '../../shared/api';
import { en } from '../../shared/locales';
import { CHUNK, offersCsv, readClassList, template, type BulkRow, type RowOutcome } from '../bulk';
import { label, useTypes, type CredentialTypeView } from '../catalog';
import { OfferLetters } from '../components/OfferLetters';
import { OFFER_LIFETIMES, OfferSettings, useOfferFormat, type OfferLifetime } from '../components/OfferSettings';
import { formFields } from '../schema-form';
import { useSession } from '../session';

interface BulkAnswer {
  results: Array<{ position: number; offer?: { offerUri: string; txCode?: string; expiresAt: string }; error?: { code: string } }>;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Name-like fields go into the download beside each offer, so each citizen gets their own. */
function nameFields(view: CredentialTypeView | undefined): string[] {
  return Object.keys(view?.schema.properties ?? {}).filter((n) => /name/i.test(n) && !/institution/i.test(n));
}

/** A class list (CSV) becomes one offer per citizen: progress, per-row errors, a CSV of the offers to hand out. */
export function BulkPage() {
  const { t, i18n } = useTranslation();
  const { session, expired } = useSession();
  const types = useTypes(session.agency.credentialTypes);
  const [type, setType] = useState(session.agency.credentialTypes[0] ?? '');
  const { formats, format, setFormat } = useOfferFormat();
  // A class list's offers are handed out later (a letter, a message, a ceremony): the longest life by default.
  const [lifetime, setLifetime] = useState<OfferLifetime>(OFFER_LIFETIMES[OFFER_LIFETIMES.length - 1]!);
  const [rows, setRows] = useState<BulkRow[]>();
  const [unknown, setUnknown] = useState<string[]>([]);
  const [outcomes, setOutcomes] = useState<RowOutcome[]>([]);
  const [sent, setSent] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [lettersShown, setLettersShown] = useState(false);
  const view = types?.find((v) => v.type === type);
  const fields = useMemo(() => (view ? formFields(view.schema) : []), [view]);
  const valid = rows?.filter((r) => r.claims) ?? [];
  const done = !busy && outcomes.length > 0;

  async function read(file: File | undefined) {
    setOutcomes([]);
    setSent(0);
    setError(undefined);
    if (!file) return setRows(undefined);
    const parsed = readClassList(await file.text(), fields);
    setRows(parsed.rows);
    setUnknown(parsed.unknownColumns);
  }

  async function send() {
    setBusy(true);
    setError(undefined);
    const made: RowOutcome[] = (rows ?? []).filter((r) => !r.claims).map((r) => ({ line: r.line, error: 'invalid_claims' }));
    try {
      for (let i = 0; i < valid.length; i += CHUNK) {
        const chunk = valid.slice(i, i + CHUNK);
        const answer = await api<BulkAnswer>('POST', '/oid4vci/offers/bulk', { type, format, expiresInSeconds: lifetime, txCode: true, items: chunk.map((r) => ({ claims: r.claims })) });
        for (const result of answer.results) {
          const line = chunk[result.position]!.line;
          made.push(result.offer ? { line, ...result.offer } : { line, error: result.error?.code ?? 'generic' });
        }
        setSent(i + chunk.length);
        setOutcomes([...made]);
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return expired();
      setError(t(errorKey(e, en.errors)));
    } finally {
      setOutcomes([...made]);
      setBusy(false);
    }
  }

  const failed = outcomes.filter((o) => o.error).length;
  if (lettersShown && rows) {
    const names = nameFields(view);
    const letters = outcomes.flatMap((o) => {
      const row = rows.find((r) => r.line === o.line);
      return o.offerUri && o.expiresAt && row ? [{ line: o.line, names: names.map((n) => row.values[n] ?? ''), offerUri: o.offerUri, expiresAt: o.expiresAt }] : [];
    });
    const agency = i18n.language === 'en' ? session.agency.nameEn : session.agency.nameZh;
    return <OfferLetters letters={letters} agency={agency} type={label(view, i18n.language) || type} onBack={() => setLettersShown(false)} />;
  }
  return (
    <section className="card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t('bulk.title')}</h2>
      <p>{t('bulk.intro')}</p>
      <div className="row">
        <div className="field">
          <label htmlFor="bulk-type">{t('issue.type')}</label>
          <select id="bulk-type" value={type} onChange={(e) => setType(e.target.value)} disabled={busy}>
            {session.agency.credentialTypes.map((name) => (
              <option key={name} value={name}>
                {label(types?.find((v) => v.type === name), i18n.language) || name}
              </option>
            ))}
          </select>
        </div>
        <OfferSettings idPrefix="bulk" formats={formats} format={format} onFormat={setFormat} lifetime={lifetime} onLifetime={setLifetime} disabled={busy} />
        <div className="field">
          <label htmlFor="bulk-file">{t('bulk.file')}</label>
          <input id="bulk-file" type="file" accept=".csv,text/csv" disabled={busy || !view} onChange={(e) => void read(e.target.files?.[0])} />
        </div>
        <button type="button" className="secondary" disabled={!view} onClick={() => download(`${type}.csv`, template(fields))}>
          {t('bulk.template')}
        </button>
      </div>
      {unknown.length > 0 && (
        <p className="alert" role="alert">
          {t('field.invalid')}: {unknown.join(', ')}
        </p>
      )}
      {rows && rows.length === 0 && <p className="alert">{t('bulk.empty')}</p>}
      {rows && rows.length > 0 && (
        <>
          <p>{t('bulk.rows', { count: rows.length })}</p>
          <button type="button" onClick={() => void send()} disabled={busy || valid.length === 0 || done || !format}>
            {t('bulk.submit')}
          </button>
          <div className="field">
            <label htmlFor="bulk-progress">{t('bulk.progress')}</label>
            <progress id="bulk-progress" max={Math.max(1, valid.length)} value={sent} />
          </div>
          {done && (
            <p className="ok" role="status">
              {t('bulk.done', { ok: outcomes.length - failed, failed })}{' '}
              <button type="button" onClick={() => download(`offers-${type}.csv`, offersCsv(rows, outcomes, nameFields(view)))}>
                {t('bulk.download')}
              </button>{' '}
              <button type="button" className="secondary" disabled={failed === outcomes.length} onClick={() => setLettersShown(true)}>
                {t('bulk.letters')}
              </button>
            </p>
          )}
          {error && (
            <p className="alert" role="alert">
              {error}
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bulk.row')}</th>
                <th scope="col">{t('bulk.result')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const outcome = outcomes.find((o) => o.line === row.line);
                return (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <td>
                      {row.problems
                        ? Object.entries(row.problems).map(([name, p]) => (
                            <div key={name} className="error">
                              {t('bulk.problem', { field: label(view, i18n.language, name), problem: t(p.key, p.values) })}
                            </div>
                          ))
                        : outcome?.error
                          ? t(errorKey(new ApiError(400, outcome.error, ''), en.errors))
                          : outcome
                            ? t('bulk.ok')
                            : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
