import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';

export interface SignInFormProps<S> {
  /** The service's session route (`POST` with `{ username, password }`), e.g. `/staff/session`. */
  endpoint: string;
  /** Text key of the form's heading: who signs in here (staff, clerk). */
  titleKey: string;
  /** The text key of a failed sign-in, from the page's own error texts. */
  errorKey(error: unknown): string;
  onSignedIn(session: S): void;
  /** @default 'card' */
  className?: string;
}

/**
 * The sign-in form of the staff pages (portal, counter): username and password; errors in plain words (never
 * which of the two was wrong). The error is kept as a text key, so it follows a language switch.
 */
export function SignInForm<S>({ endpoint, titleKey, errorKey, onSignedIn, className = 'card' }: SignInFormProps<S>) {
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
      onSignedIn(await api<S>('POST', endpoint, { username: username.trim(), password }));
    } catch (e) {
      setError(errorKey(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={className} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t(titleKey)}</h2>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="username">{t('signIn.username')}</label>
          <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">{t('signIn.password')}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error && (
          <p className="alert" role="alert" data-testid="sign-in-error">
            {t(error)}
          </p>
        )}
        <button type="submit" disabled={busy || !username || !password}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
