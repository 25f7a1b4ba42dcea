/**
 * Typed errors with stable, machine-readable codes. Every 4xx a service returns carries one of these
 * codes; the HTTP layer translates a {@link GovcredError} into a response body and never echoes internal
 * messages or stacks for anything else.
 */

/** Stable error codes, grouped by area. Clients may switch on these; never rename one. */
export const ERROR_CODES = {
  // Generic request problems
  invalid_request: 400,
  malformed_json: 400,
  payload_too_large: 413,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  // Chain
  chain_unavailable: 503,
  status_index_out_of_range: 400,
  status_list_unknown: 404,
  revocation_is_final: 409,
  internal_error: 500,
  // Issuer: agencies, issuance, status changes, bulk jobs
  agency_not_found: 404,
  unknown_credential_type: 400,
  credential_type_not_allowed: 403,
  invalid_claims: 400,
  invalid_subject: 400,
  issuer_mismatch: 403,
  credential_not_found: 404,
  already_revoked: 409,
  already_suspended: 409,
  not_suspended: 409,
  credential_revoked: 409,
  status_change_not_found: 404,
  bulk_job_not_found: 404,
  too_many_items: 400,
} as const;

/** One of the stable error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The one base error of govcred: a stable code, a safe message, optional details and cause. */
export class GovcredError extends Error {
  /** HTTP status that the code maps to at the service edge. */
  readonly httpStatus: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GovcredError';
    this.httpStatus = ERROR_CODES[code];
  }
}
