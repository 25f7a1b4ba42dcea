import type { i18n } from 'i18next';
import { VaultError } from './store/vault';
import { PassphraseTooShortError } from './store/wallet-store';
import { ReceiveError } from './logic/receive-error';
import { ScanError } from './logic/scan';
import { walletEn, walletZhCN } from './locales';

/** Adds the wallet's texts (key `wallet`) to the shared i18next instance the portal's language switch drives. */
export function addWalletTexts(instance: i18n): i18n {
  instance.addResourceBundle('zh-CN', 'translation', { wallet: walletZhCN }, true, true);
  instance.addResourceBundle('en', 'translation', { wallet: walletEn }, true, true);
  return instance;
}

/** An error as a stable code the pages explain in plain words; anything unexpected is `generic`. */
export function errorCode(error: unknown): string {
  if (error instanceof VaultError || error instanceof ReceiveError || error instanceof ScanError) return error.code;
  if (error instanceof PassphraseTooShortError) return 'passphrase_short';
  if (typeof error === 'string') return error;
  return 'generic';
}

/** The text key of a code: its own when the wallet explains it, else the generic one. */
export function errorKey(code: string): string {
  return Object.hasOwn(walletZhCN.errors, code) ? `wallet.errors.${code}` : 'wallet.errors.generic';
}
