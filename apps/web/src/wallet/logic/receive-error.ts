/** Why receiving failed, as a stable code (kept apart from the OID4VCI client so the first page loads light). */
/**
 * Error codes the pages explain in plain words (the library's, plus the wallet's own: `offer_format`, and
 * `offer_gone` for an offer whose reference answered that it was used or expired, before any PIN was asked).
 */
export type ReceiveErrorCode = 'offer_invalid' | 'offer_format' | 'offer_gone' | 'tx_code_required' | 'offer_rejected' | 'credential_rejected' | 'service_unreachable' | 'issuer_response_invalid';

export class ReceiveError extends Error {
  constructor(
    readonly code: ReceiveErrorCode,
    /** The issuer's OAuth error code, when it gave one (`invalid_grant` for a used offer or wrong PIN). */
    readonly oauthError?: string,
  ) {
    super(code);
  }
}

