/** What can go wrong for a wallet user; each has a localized message (i18n.ts) and its own exit code. */
export const WALLET_ERROR_CODES = [
  'wrong_passphrase',
  'store_corrupt',
  'store_missing',
  'store_exists',
  'service_unreachable',
  'offer_invalid',
  'offer_rejected',
  'request_invalid',
  'request_unsatisfiable',
  'consent_refused',
  'credential_not_found',
  'usage',
  // Appended, so the exit codes of the codes above stay as they were.
  'request_refused',
  'response_rejected',
] as const;

export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number];

/** A failure the wallet explains to its user; `detail` is shown after the localized message. */
export class WalletError extends Error {
  constructor(
    readonly code: WalletErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = 'WalletError';
  }
}
