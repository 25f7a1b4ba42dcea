import { useTranslation } from 'react-i18next';
import type { CounterHistoryEntry } from '../../../verifier/src/counter/dto/counter.dto';

/** The clerk's own checks within the result retention: time, check, outcome. */
export function History({ entries }: { entries: CounterHistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('counter.history.title')}</h2>
      {entries.length === 0 ? (
        <p>{t('counter.history.none')}</p>
      ) : (
        <div className="scroll">
          <table data-testid="history">
            <thead>
              <tr>
                <th scope="col">{t('counter.history.time')}</th>
                <th scope="col">{t('counter.history.check')}</th>
                <th scope="col">{t('counter.history.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="history-row" data-status={entry.status}>
                  <td>{new Date(entry.createdAt).toLocaleString(lang)}</td>
                  <td>{entry.labels[lang]}</td>
                  <td>
                    <span className={`badge ${entry.status}`}>{t(`counter.status.${entry.status}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
