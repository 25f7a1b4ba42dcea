import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { ErrorText } from './components';
import { WalletContext, type WalletSession } from './context';
import { loadSettings, type WalletSettings } from './logic/settings';
import { SetupPage } from './pages/SetupPage';
import { indexedDbStorage } from './store/storage';
import { WalletStore } from './store/wallet-store';

// Loaded once unlocked: the unlock page stays light on a phone (the chain and protocol code are most of the weight).
const PAGES = [
  { path: 'credentials', Page: lazy(() => import('./pages/CredentialsPage').then((m) => ({ default: m.CredentialsPage }))) },
  { path: 'receive', Page: lazy(() => import('./pages/ReceivePage').then((m) => ({ default: m.ReceivePage }))) },
  { path: 'present', Page: lazy(() => import('./pages/PresentPage').then((m) => ({ default: m.PresentPage }))) },
  { path: 'history', Page: lazy(() => import('./pages/HistoryPage').then((m) => ({ default: m.HistoryPage }))) },
  { path: 'backup', Page: lazy(() => import('./pages/BackupPage').then((m) => ({ default: m.BackupPage }))) },
] as const;

/** The citizen web wallet: create, unlock or restore the encrypted store, then its pages. */
export function App() {
  const { t, i18n } = useTranslation();
  const [settings, setSettings] = useState<WalletSettings>();
  const [store, setStore] = useState<WalletStore | null>(null);
  // undefined: not yet known; then whether IndexedDB holds a wallet.
  const [exists, setExists] = useState<boolean>();
  const [failure, setFailure] = useState<string>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    loadSettings().then(setSettings, () => setFailure('config_unavailable'));
    WalletStore.exists(indexedDbStorage).then(setExists, () => setFailure('storage_unavailable'));
  }, []);

  useEffect(() => {
    document.title = t('wallet.title');
  }, [t, i18n.language]);

  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const unlocked = useCallback((s: WalletStore) => {
    setStore(s);
    setExists(true);
  }, []);
  // `version` makes a new session object after a change, so the pages re-render with the saved data.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const session = useMemo<WalletSession | undefined>(() => (store && settings ? { store, settings, changed, replaced: unlocked } : undefined), [store, settings, changed, unlocked, version]);

  return (
    <div className="wallet">
      <a className="skip" href="#main">
        {t('wallet.skip')}
      </a>
      <header className="bar">
        <h1>{t('wallet.title')}</h1>
        <div className="row">
          <LanguageSwitch />
          {store && (
            <button type="button" className="secondary" onClick={() => setStore(null)}>
              {t('wallet.lock')}
            </button>
          )}
        </div>
      </header>
      {session && (
        <nav className="main" aria-label={t('wallet.nav.label')}>
          <ul>
            {PAGES.map(({ path }) => (
              <li key={path}>
                <NavLink to={`/${path}`}>{t(`wallet.nav.${path}`)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        <ErrorText code={failure} testId="wallet-error" />
        {!session && exists !== undefined && <SetupPage exists={exists} onUnlocked={unlocked} />}
        {session && (
          <WalletContext.Provider value={session}>
            <Suspense fallback={<p role="status">…</p>}>
              <Routes>
                {PAGES.map(({ path, Page }) => (
                  <Route key={path} path={`/${path}`} element={<Page />} />
                ))}
                <Route path="*" element={<Navigate to="/credentials" replace />} />
              </Routes>
            </Suspense>
          </WalletContext.Provider>
        )}
      </main>
    </div>
  );
}
