import { createContext, useContext } from 'react';
import type { WalletSettings } from './logic/settings';
import type { WalletStore } from './store/wallet-store';

/** The unlocked wallet the pages work on; `changed()` re-renders after they changed its data (already saved). */
export interface WalletSession {
  store: WalletStore;
  settings: WalletSettings;
  changed(): void;
  /** A restored backup takes the place of the open wallet. */
  replaced(store: WalletStore): void;
}

export const WalletContext = createContext<WalletSession | undefined>(undefined);

export function useWallet(): WalletSession {
  const session = useContext(WalletContext);
  if (!session) throw new Error('useWallet outside an unlocked wallet');
  return session;
}
