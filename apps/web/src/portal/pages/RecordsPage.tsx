import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, errorKey } from '../../shared/api';
import { en } from '../../shared/locales';
import { label, useTypes } from '../catalog';
import { STATES, TITLE_STATES, type CredentialRecord } from '../record';
import { useSession } from '../session';

/** The changes an officer may undo, each offered from one state (revocation, final, is offered apart). */
const REVERSIBLE: ReadonlyArray<{ action: 'suspend' | 'reinstate' | 'encumber' | 'release'; from: (typeof STATES)[number]; titlesOnly?: true }> = [
  { action: 'suspend', from: 'active' },
  { action: 'reinstate', from: 'suspended' },
  { action: 'encumber', from: 'active', titlesOnly: true },
  { action: 'release', from: 'encumbered' },
];

interface StatusChange {
  id: string;
  action: 'revoke' | 'suspend' | 'reinstate' | 'encumber' | 'release' | 'supersede';
  state: 'pending' | 'anchored';
  txHash: string | null;
  blockNumber: number | null;
  createdAt: string;
}
type Details = CredentialRecord & { statusChanges: StatusChange[] };

/** Polling interval while a change is pending (anchoring runs every few seconds). */
const POLL_MS = 1000;

/**
 * Search issued credentials (never by claims: the issuer keeps none) and change their status. On a property
 * title (不动产权证书) an officer also registers and releases a mortgage; a title transferred to a new
 * certificate is final, and each certificate links to the one before and after it.
 */
export function RecordsPage() {
  const { t, i18n } = useTranslation();
  const { session, expired } = useSession();
  const types = useTypes(session.agency.credentialTypes);
  const [query, setQuery] = useState({ id: '', number: '', type: '', state: '', from: '', to: '' });
  const [result, setResult] = useState<{ total: number; items: CredentialRecord[] }>();
  const [selected, setSelected] = useState<Details>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const mayChange = session.staff.role === 'officer';
  // A transfer is issuance (the new owner's certificate by offer): the clerk's, on the issue page.
  const mayTransfer = session.staff.role === 'clerk';
  // The title states are offered in the search only to a registry that issues titles.
  const issuesTitles = types?.some((view) => view.titleChain) ?? false;
  const states = STATES.filter((state) => issuesTitles || !TITLE_STATES.includes(state));

  function failed(e: unknown) {
    if (e instanceof ApiError && e.code === 'unauthorized') return expired();
    setError(t(errorKey(e, en.errors)));
  }

  async function search(event?: FormEvent) {
    event?.preventDefault();
    setError(undefined);
    const params = new URLSearchParams({ order: 'desc', limit: '50' });
    if (query.id.trim()) params.set('id', query.id.trim());
    if (query.number.trim()) params.set('certificateNumber', query.number.trim());
    if (query.type) params.set('type', query.type);
    if (query.state) params.set('state', query.state);
    // Days as the clerk means them: from local midnight, "until" a day including that day.
    const midnight = (day: string, plusDays = 0) => {
      const d = new Date(`${day}T00:00:00`);
      d.setDate(d.getDate() + plusDays);
      return d.toISOString();
    };
    if (query.from) params.set('issuedFrom', midnight(query.from));
    if (query.to) params.set('issuedBefore', midnight(query.to, 1));
    try {
      setResult(await api('GET', `/credentials?${params}`));
    } catch (e) {
      failed(e);
    }
  }

  async function open(id: string) {
    try {
      setSelected(await api<Details>('GET', `/credentials/${encodeURIComponent(id)}`));
      setReason('');
    } catch (e) {
      failed(e);
    }
  }

  useEffect(() => {
    void search();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // While a change is pending, watch it until it is anchored (transaction and block).
  const pending = selected?.statusChanges.some((c) => c.state === 'pending');
  useEffect(() => {
    if (!pending || !selected) return;
    const timer = setTimeout(() => void open(selected.id), POLL_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, pending]);

  async function act(action: Exclude<StatusChange['action'], 'supersede'>) {
    if (!selected) return;
    if (action === 'revoke' && !window.confirm(t('records.confirmRevoke'))) return;
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/credentials/status', { credentialId: selected.id, action, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      await open(selected.id);
      void search();
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof typeof query) => ({ value: query[name], onChange: (e: { target: { value: string } }) => setQuery((q) => ({ ...q, [name]: e.target.value })) });
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);

  return (
    <>
      <section className="card" aria-labelledby="records-title">
        <h2 id="records-title">{t('records.title')}</h2>
        <form onSubmit={search} className="row" role="search">
          <div className="field">
            <label htmlFor="q-id">{t('records.id')}</label>
            <input id="q-id" {...field('id')} placeholder="urn:uuid:…" />
          </div>
          <div className="field">
            <label htmlFor="q-number">{t('records.certificateNumber')}</label>
            <input id="q-number" {...field('number')} placeholder="GC-…" spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="q-type">{t('records.type')}</label>
            <select id="q-type" {...field('type')}>
              <option value="">{t('records.anyType')}</option>
              {session.agency.credentialTypes.map((name) => (
                <option key={name} value={name}>
                  {label(types?.find((v) => v.type === name), i18n.language) || name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="q-state">{t('records.state')}</label>
            <select id="q-state" {...field('state')}>
              <option value="">{t('records.anyState')}</option>
              {states.map((s) => (
                <option key={s} value={s}>
                  {t(`states.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="q-from">{t('records.from')}</label>
            <input id="q-from" type="date" {...field('from')} />
          </div>
          <div className="field">
            <label htmlFor="q-to">{t('records.to')}</label>
            <input id="q-to" type="date" {...field('to')} />
          </div>
          <button type="submit">{t('records.search')}</button>
        </form>
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
        {result && (
          <>
            <p role="status">{result.total === 0 ? t('records.none') : t('records.total', { count: result.total })}</p>
            {result.items.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('records.id')}</th>
                    <th scope="col">{t('records.type')}</th>
                    <th scope="col">{t('records.issuedAt')}</th>
                    <th scope="col">{t('records.state')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('records.details')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((c) => (
                    <tr key={c.id}>
                      <td className="mono">{c.id}</td>
                      <td>{label(types?.find((v) => v.type === c.type), i18n.language) || c.type}</td>
                      <td>{when(c.issuedAt)}</td>
                      <td>
                        <span className={`badge ${c.state}`}>{t(`states.${c.state}`)}</span>
                      </td>
                      <td>
                        <button type="button" className="secondary" onClick={() => void open(c.id)} aria-label={`${t('records.details')} ${c.id}`}>
                          {t('records.details')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
      {selected && (
        <section className="card" aria-labelledby="details-title" data-testid="record-details">
          <h2 id="details-title">
            {t('records.details')} <span className={`badge ${selected.state}`} data-testid="record-state">{t(`states.${selected.state}`)}</span>
          </h2>
          <p className="mono">{selected.id}</p>
          {(selected.certificateNumber || selected.predecessorId || selected.successorId) && (
            <dl className="facts">
              {selected.certificateNumber && (
                <>
                  <dt>{t('records.certificateNumber')}</dt>
                  <dd className="mono">{selected.certificateNumber}</dd>
                </>
              )}
              {[
                ['predecessor', selected.predecessorId],
                ['successor', selected.successorId],
              ].map(
                ([link, id]) =>
                  id && (
                    <Fragment key={link}>
                      <dt>{t(`records.${link}`)}</dt>
                      <dd>
                        <button type="button" className="link mono" onClick={() => void open(id)} data-testid={`record-${link}`}>
                          {id}
                        </button>
                      </dd>
                    </Fragment>
                  ),
              )}
            </dl>
          )}
          {selected.state === 'superseded' && <p className="hint">{t('records.supersededHint')}</p>}
          {mayTransfer && selected.titleId && selected.state === 'active' && (
            <p>
              <Link to={`/issue?transferOf=${encodeURIComponent(selected.id)}`} className="button" data-testid="record-transfer">
                {t('records.transfer')}
              </Link>
            </p>
          )}
          {mayChange && selected.state !== 'revoked' && selected.state !== 'superseded' && (
            <div className="row">
              <div className="field">
                <label htmlFor="reason">{t('records.reason')}</label>
                <input id="reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} aria-describedby="reason-hint" />
                <span className="hint" id="reason-hint">
                  {t('records.reasonHint')}
                </span>
              </div>
              {REVERSIBLE.filter(({ from, titlesOnly }) => selected.state === from && (!titlesOnly || selected.titleId)).map(({ action }) => (
                <button key={action} type="button" onClick={() => void act(action)} disabled={busy}>
                  {t(`records.${action}`)}
                </button>
              ))}
              <button type="button" className="danger" onClick={() => void act('revoke')} disabled={busy}>
                {t('records.revoke')}
              </button>
            </div>
          )}
          <h3>{t('records.changes')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('records.action')}</th>
                <th scope="col">{t('records.requestedAt')}</th>
                <th scope="col">{t('records.state')}</th>
                <th scope="col">{t('records.tx')}</th>
                <th scope="col">{t('records.block')}</th>
              </tr>
            </thead>
            <tbody aria-live="polite">
              {selected.statusChanges.map((c) => (
                <tr key={c.id} data-testid="status-change">
                  <td>{t(`actions.${c.action}`)}</td>
                  <td>{when(c.createdAt)}</td>
                  <td>
                    <span className={`badge ${c.state}`} data-testid="change-state">
                      {t(`records.${c.state}`)}
                    </span>
                  </td>
                  <td className="mono">{c.txHash ?? '—'}</td>
                  <td data-testid="change-block">{c.blockNumber ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="secondary" onClick={() => setSelected(undefined)}>
            {t('records.close')}
          </button>
        </section>
      )}
    </>
  );
}
