import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText, Field } from '../components';
import { errorCode } from '../i18n';
import { indexedDbStorage } from '../store/storage';
import { WalletStore } from '../store/wallet-store';
import { RestoreForm } from './RestoreForm';

/** Before anything else: create a wallet, or unlock the one this browser keeps; or restore a backup file. */
export function SetupPage({ exists, onUnlocked }: { exists: boolean; onUnlocked(store: WalletStore): void }) {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    if (!exists && passphrase !== repeat) return setError('passphrase_mismatch');
    setBusy(true);
    try {
      onUnlocked(exists ? await WalletStore.unlock(indexedDbStorage, passphrase) : await WalletStore.create(indexedDbStorage, passphrase));
    } catch (e) {
      setError(errorCode(e));
    } finally {
      setBusy(false);
    }
  }

  const title = exists ? t('wallet.setup.unlockTitle') : t('wallet.setup.createTitle');
  return (
    <>
      <section className="card">
        <form onSubmit={(e) => void submit(e)} aria-labelledby="setup-title">
          <h2 id="setup-title">{title}</h2>
          {!exists && <p>{t('wallet.setup.createIntro')}</p>}
          <Field id="passphrase" label={t('wallet.setup.passphrase')} hint={exists ? undefined : t('wallet.setup.passphraseHint')}>
            <input
              id="passphrase"
              type="password"
              autoComplete={exists ? 'current-password' : 'new-password'}
              required
              aria-describedby={exists ? undefined : 'passphrase-hint'}
              aria-invalid={error === 'wrong_passphrase' || error === 'passphrase_short' ? true : undefined}
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          </Field>
          {!exists && (
            <Field id="passphrase-repeat" label={t('wallet.setup.passphraseRepeat')}>
              <input id="passphrase-repeat" type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
            </Field>
          )}
          <ErrorText code={error} testId="setup-error" />
          <button type="submit" disabled={busy}>
            {exists ? (busy ? t('wallet.setup.unlocking') : t('wallet.setup.unlock')) : busy ? t('wallet.setup.creating') : t('wallet.setup.create')}
          </button>
        </form>
      </section>
      <section className="card">
        <RestoreForm onRestored={onUnlocked} />
      </section>
    </>
  );
}
