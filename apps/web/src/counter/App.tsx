import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClerkSessionView } from '../../../verifier/src/counter/dto/counter.dto';
import { ApiError, api, setCsrfToken } from '../shared/api';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { SignInForm } from '../shared/SignInForm';
import { counterErrorKey } from './i18n';
import { Workspace } from './Workspace';

/** The verifier's counter page: a clerk signs in, then asks checks of citizens' wallets. */
export function App() {
  const { t, i18n } = useTranslation();
  // undefined: still asking the server; null: signed out.
  const [session, setSession] = useState<ClerkSessionView | null>();

  const signedIn = useCallback((s: ClerkSessionView | null) => {
    setCsrfToken(s?.csrfToken);
    setSession(s);
  }, []);
  const expired = useCallback(() => signedIn(null), [signedIn]);

  useEffect(() => {
    api<ClerkSessionView>('GET', '/counter/session').then(signedIn, () => signedIn(null));
  }, [signedIn]);

  useEffect(() => {
    document.title = t('counter.title');
  }, [t, i18n.language]);

  async function signOut() {
    try {
      await api('DELETE', '/counter/session');
    } catch (e) {
      // Already ended on the server: signed out all the same.
      if (!(e instanceof ApiError)) throw e;
    }
    signedIn(null);
  }

  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <>
      <a className="skip" href="#main">
        {t('counter.skip')}
      </a>
      <header className="bar">
        <h1>{t('counter.title')}</h1>
        <div className="row">
          {session && (
            <span className="who" data-testid="who">
              {t('counter.signedInAs', { name: session.clerk.displayName, verifier: session.verifier.name[lang] })}
            </span>
          )}
          <LanguageSwitch />
          {session && (
            <button type="button" className="secondary" onClick={() => void signOut()}>
              {t('counter.signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="counter">
        {session === null && <SignInForm endpoint="/counter/session" titleKey="counter.signIn.title" errorKey={counterErrorKey} onSignedIn={signedIn} className="card narrow" />}
        {session && <Workspace key={session.clerk.id} expired={expired} />}
      </main>
    </>
  );
}
