import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorKey } from '../../shared/api';
import { en } from '../../shared/locales';
import { useSession } from '../session';

interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  data: string;
}
interface StaffMember {
  id: string;
  username: string;
  displayName: string;
}
interface AuditCheck {
  valid: boolean;
  entries: number;
  headHash: string;
  problems: Array<{ seq: number; problem: 'gap' | 'broken_link' | 'hash_mismatch' }>;
}

/** The agency's audit entries, and the integrity check of the log's hash chain. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { expired } = useSession();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(0);
  const [check, setCheck] = useState<AuditCheck>();
  const [error, setError] = useState<string>();
  const [staff, setStaff] = useState<Map<string, StaffMember>>(new Map());

  function failed(e: unknown) {
    if (e instanceof ApiError && e.code === 'unauthorized') return expired();
    setError(t(errorKey(e, en.errors)));
  }

  async function more(after: number) {
    try {
      const page = await api<{ entries: AuditEntry[]; nextAfterSeq: number | null }>('GET', `/agency/audit?afterSeq=${after}&limit=100`);
      setEntries((e) => (after === 0 ? page.entries : [...e, ...page.entries]));
      setNext(page.nextAfterSeq);
    } catch (e) {
      failed(e);
    }
  }

  useEffect(() => {
    void more(0);
    api<AuditCheck>('GET', '/agency/audit/check').then(setCheck, failed);
    api<StaffMember[]>('GET', '/agency/audit/staff').then((members) => setStaff(new Map(members.map((m) => [m.id, m]))), failed);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  /**
   * Who an entry names, in words: the log keeps staff by id only (nothing personal in entries that can never be
   * erased), so a member is named from the agency's current staff; a removed member stays an id.
   */
  function actorName(actor: string): string {
    const [kind, id] = actor.split(':', 2);
    if (kind === 'staff' && id) {
      const member = staff.get(id);
      return member ? `${member.displayName} (${member.username})` : actor;
    }
    if (kind === 'agency') return t('audit.actors.apiKey');
    if (actor === 'admin' || actor === 'worker' || actor === 'anonymous') return t(`audit.actors.${actor}`);
    return actor;
  }

  return (
    <>
      <section className="card" aria-labelledby="check-title">
        <h2 id="check-title">{t('audit.check')}</h2>
        {check && (
          <div className={check.valid ? 'ok' : 'alert'} role="status" data-testid="audit-check">
            {check.valid ? t('audit.valid', { count: check.entries }) : t('audit.invalid', { count: check.problems.length })}
            <div className="mono">{check.headHash}</div>
            {check.problems.length > 0 && (
              <ul>
                {check.problems.map((p) => (
                  <li key={`${p.seq}-${p.problem}`}>
                    #{p.seq}: {t(`audit.problem.${p.problem}`)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">{t('audit.title')}</h2>
        <table data-testid="audit-entries">
          <thead>
            <tr>
              <th scope="col">{t('audit.seq')}</th>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.data')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{new Date(e.at).toLocaleString(i18n.language)}</td>
                <td title={e.actor} data-testid="audit-actor">
                  {actorName(e.actor)}
                </td>
                <td className="mono">{e.action}</td>
                <td className="mono">{e.data}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {next !== null && entries.length > 0 && (
          <button type="button" className="secondary" onClick={() => void more(next)}>
            {t('audit.more')}
          </button>
        )}
      </section>
    </>
  );
}
