/** Why receiving failed, as a stable code (kept apart from the OID4VCI client so the first page loads light). */
/** Error codes the pages explain in plain words (the library's, plus the wallet's own). */
export type ReceiveErrorCode = 'offer_invalid' | 'offer_format' | 'tx_code_required' | 'offer_rejected' | 'credential_rejected' | 'service_unreachable' | 'issuer_response_invalid';

export class ReceiveError extends Error {
  constructor(
    readonly code: ReceiveErrorCode,
    /** The issuer's OAuth error code, when it gave one (`invalid_grant` for a used offer or wrong PIN). */
    readonly oauthError?: string,
  ) {
    super(code);
  }
}

