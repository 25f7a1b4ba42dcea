import { useTranslation } from 'react-i18next';
import { useWallet } from '../context';
import { RestoreForm } from './RestoreForm';

/** The encrypted store as a file to keep elsewhere, and restoring one (which replaces this wallet). */
export function BackupPage() {
  const { t } = useTranslation();
  const { store, replaced } = useWallet();

  async function download() {
    const blob = new Blob([await store.backup()], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `govcred-wallet-${new Date().toISOString().slice(0, 10)}.json`;
    a.click();
    // The click has queued the download; the URL is not needed after this turn.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  return (
    <>
      <section className="card" aria-labelledby="backup-title">
        <h2 id="backup-title">{t('wallet.backup.title')}</h2>
        <p>{t('wallet.backup.intro')}</p>
        <button type="button" onClick={() => void download()}>
          {t('wallet.backup.download')}
        </button>
      </section>
      <section className="card">
        <RestoreForm onRestored={replaced} />
      </section>
    </>
  );
}
