import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClerkSessionView } from '../../../verifier/src/counter/dto/counter.dto';
import { api } from '../shared/api';
import { counterErrorKey } from './i18n';

/** Username and password; errors in plain words (never which of the two was wrong). */
export function SignIn({ onSignedIn }: { onSignedIn(session: ClerkSessionView): void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api<ClerkSessionView>('POST', '/counter/session', { username: username.trim(), password }));
    } catch (e) {
      setError(counterErrorKey(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t('counter.signIn.title')}</h2>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="username">{t('counter.signIn.username')}</label>
          <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">{t('counter.signIn.password')}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error && (
          <p className="alert" role="alert" data-testid="sign-in-error">
            {t(error)}
          </p>
        )}
        <button type="submit" disabled={busy || !username || !password}>
          {busy ? t('counter.signIn.busy') : t('counter.signIn.submit')}
        </button>
      </form>
    </section>
  );
}
