import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText, Field } from '../components';
import { errorCode } from '../i18n';
import { indexedDbStorage } from '../store/storage';
import { WalletStore } from '../store/wallet-store';

/** Restores a backup file into this browser once it opens with its passphrase (a wrong one replaces nothing). */
export function RestoreForm({ onRestored }: { onRestored(store: WalletStore): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      onRestored(await WalletStore.restore(indexedDbStorage, await file.text(), passphrase));
    } catch (e) {
      setError(errorCode(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="restore-title">
      <h2 id="restore-title">{t('wallet.setup.restoreTitle')}</h2>
      <p>{t('wallet.setup.restoreIntro')}</p>
      <p className="muted">{t('wallet.setup.replaceWarning')}</p>
      <Field id="restore-file" label={t('wallet.setup.restoreFile')}>
        <input id="restore-file" type="file" accept="application/json,.json" required onChange={(e) => setFile(e.target.files?.[0])} />
      </Field>
      <Field id="restore-passphrase" label={t('wallet.setup.passphrase')}>
        <input id="restore-passphrase" type="password" autoComplete="current-password" required value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      </Field>
      <ErrorText code={error} testId="restore-error" />
      <button type="submit" disabled={busy || !file}>
        {busy ? t('wallet.setup.restoring') : t('wallet.setup.restore')}
      </button>
    </form>
  );
}
