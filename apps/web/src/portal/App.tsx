import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { ApiError, api, errorKey, setCsrfToken } from '../shared/api';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { en } from '../shared/locales';
import { SignInForm } from '../shared/SignInForm';
import { AuditPage } from './pages/AuditPage';
import { BulkPage } from './pages/BulkPage';
import { IssuePage } from './pages/IssuePage';
import { RecordsPage } from './pages/RecordsPage';
import { PAGES_BY_ROLE, SessionContext, type Session } from './session';

const PAGE_COMPONENTS = { issue: IssuePage, bulk: BulkPage, records: RecordsPage, audit: AuditPage };
const signInErrorKey = (error: unknown) => errorKey(error, en.errors);

/** The portal: sign-in, then the pages of the member's role. */
export function App() {
  const { t, i18n } = useTranslation();
  // undefined: still asking the server; null: signed out.
  const [session, setSession] = useState<Session | null>();

  const signedIn = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrfToken);
    setSession(s);
  }, []);

  useEffect(() => {
    api<Session>('GET', '/staff/session').then(signedIn, () => signedIn(null));
  }, [signedIn]);

  async function signOut() {
    try {
      await api('DELETE', '/staff/session');
    } catch (e) {
      // Already ended on the server: signed out all the same.
      if (!(e instanceof ApiError)) throw e;
    }
    signedIn(null);
  }

  useEffect(() => {
    document.title = t('app.title');
  }, [t, i18n.language]);

  const pages = session ? PAGES_BY_ROLE[session.staff.role] : [];
  const agencyName = session ? (i18n.language === 'en' ? session.agency.nameEn : session.agency.nameZh) : '';
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="bar">
        <h1>{t('app.title')}</h1>
        <div className="row">
          {session && (
            <span className="who" data-testid="who">
              {t('app.signedInAs', { name: session.staff.displayName, role: t(`roles.${session.staff.role}`), agency: agencyName })}
            </span>
          )}
          <LanguageSwitch />
          {session && (
            <button type="button" className="secondary" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          )}
        </div>
      </header>
      {session && (
        <nav className="main" aria-label={t('nav.label')}>
          <ul>
            {pages.map((page) => (
              <li key={page}>
                <NavLink to={`/${page}`}>{t(`nav.${page}`)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {session === null && <SignInForm endpoint="/staff/session" titleKey="signIn.title" errorKey={signInErrorKey} onSignedIn={signedIn} />}
        {session && (
          <SessionContext.Provider value={{ session, expired: () => signedIn(null) }}>
            <Routes>
              {pages.map((page) => {
                const Page = PAGE_COMPONENTS[page];
                return <Route key={page} path={`/${page}`} element={<Page />} />;
              })}
              <Route path="*" element={<Navigate to={`/${pages[0]}`} replace />} />
            </Routes>
          </SessionContext.Provider>
        )}
      </main>
    </>
  );
}
