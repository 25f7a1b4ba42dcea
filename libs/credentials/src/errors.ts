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
  // OID4VCI client (the wallet side of credential issuance; the issuer side answers with OID4VCI's own
  // error responses, see oid4vci/http.ts). The status says whose fault it is, should one be relayed over HTTP.
  /** The offer text is not a credential offer this wallet can take (junk, no pre-authorized code, not https). */
  offer_invalid: 400,
  /** The issuer refused the offer: used, expired, unknown, or a wrong / missing transaction code. */
  offer_rejected: 400,
  /** The offer needs a transaction code (PIN) and none was given. */
  tx_code_required: 400,
  /** The issuer refused the credential request (proof, nonce, token or policy). */
  credential_rejected: 400,
  /** The issuer could not be reached (network error or timeout). */
  service_unreachable: 503,
  /** The issuer answered with something that breaks the protocol or govcred's format. */
  issuer_response_invalid: 502,
  internal_error: 500,
  // Issuer: agencies, issuance, status changes, bulk jobs
  agency_not_found: 404,
  unknown_credential_type: 400,
  credential_type_not_allowed: 403,
  invalid_claims: 400,
  invalid_subject: 400,
  /**
   * The subject is a DID no govcred verifier could ever accept as holder: not an address-form did:ethr on the
   * issuer's chain (another chain, a public-key form), or a broken one (a wrong EIP-55 checksum).
   */
  subject_did_invalid: 400,
  /** An SD-JWT VC's holder key (`options.holderJwk`) is missing, not a P-256 / secp256k1 public key on its curve, or carries private members. */
  invalid_holder_key: 400,
  issuer_mismatch: 403,
  credential_not_found: 404,
  already_revoked: 409,
  already_suspended: 409,
  not_suspended: 409,
  credential_revoked: 409,
  /** Property titles (issue 13): a transferred title's old certificate is superseded, for good. */
  credential_superseded: 409,
  supersession_is_final: 409,
  already_encumbered: 409,
  not_encumbered: 409,
  /** A mortgaged title must be released before it is transferred. */
  credential_encumbered: 409,
  /** The action needs an active credential (e.g. suspending or encumbering an encumbered or suspended one). */
  credential_not_active: 409,
  /** Transfer, encumbrance and release apply to property titles only. */
  not_a_title: 409,
  status_change_not_found: 404,
  bulk_job_not_found: 404,
  too_many_items: 400,
  /** The Idempotency-Key was used before with a different request (draft-ietf-httpapi-idempotency-key-header §2.7). */
  idempotency_key_reused: 422,
  /** A request with this Idempotency-Key is still being processed: retry later for its answer. */
  idempotency_key_in_progress: 409,
  // Verifier: accounts tied to a DID registered on the VerifierRegistry
  /** The DID given for a verifier account has no registration in force on chain. */
  verifier_not_registered: 400,
  /** A presentation request asks for a type or claims beyond the account's registration on chain. */
  request_not_registered: 403,
  // Verifier: OpenID4VP 1.0 requests and responses (the wallet-facing codes follow OID4VP's error cases)
  /** The account has no did:ethr signing key held by the verifier (import one with the account), so it cannot sign request objects. */
  verifier_key_missing: 409,
  /** A signing key was given but the verifier has no VERIFIER_KEY_SECRET to keep it encrypted at rest. */
  key_storage_unavailable: 409,
  /** The request object of this request_uri was already fetched: each is handed out once. */
  request_uri_used: 409,
  /** The request this response answers has expired. */
  request_expired: 410,
  /** The response's `state` is not this request's. */
  state_mismatch: 400,
  /** The request was already answered: a response is accepted once. */
  response_replayed: 409,
  /** The response is not an OID4VP authorization response for this request (form, vp_token, JWE). */
  response_invalid: 400,
  // Issuer: audit log anchoring
  audit_entry_not_found: 404,
  /** The audit entry exists but its anchor is not on chain yet: retry after the next anchoring interval. */
  not_anchored_yet: 409,
  /** A certificate number that is malformed or fails its check characters (a typo). */
  certificate_number_invalid: 400,
  // Issuer: staff accounts and portal sessions
  /** Wrong username or password (which of the two is not said). */
  sign_in_failed: 401,
  /** Too many failed sign-ins for this account or from this address: wait for the window to pass. */
  too_many_attempts: 429,
  /** A state-changing request of a staff session without the right `x-csrf-token` header. */
  csrf_token_invalid: 403,
  /** The staff member's role may not do this (clerk: issue and offer; officer: status; auditor: audit log). */
  role_not_allowed: 403,
  /** The username is taken (usernames are unique across agencies). */
  staff_username_taken: 409,
  staff_not_found: 404,
  // Verifier: counter page (clerks sign in with the staff session codes above)
  /** The clerk username is taken (usernames are unique across verifier accounts). */
  clerk_username_taken: 409,
  clerk_not_found: 404,
  /** A counter check the page cannot ask: unknown preset or type, a bad district, claims not of the type. */
  check_invalid: 400,
  // Issuer: key roles (owner, signing keys, status writer)
  /** The agency's signing key is not in force yet on this machine's clock (the chain's clock runs ahead): retry shortly. */
  signing_key_not_active: 503,
  /** The agency's signing key was reported compromised: nothing is signed until the owner's replacement is relayed. */
  signing_key_compromised: 503,
  /** The operation needs the identity's owner (governance), which the issuer does not hold: sign the returned hash. */
  owner_signature_required: 409,
  /** The owner's signature does not recover to the identity's current ERC-1056 owner, or signs another call. */
  owner_signature_invalid: 400,
  /** No key operation of this id is waiting for the owner's signature. */
  key_operation_not_found: 404,
  // Issuer: re-issuance after a key compromise (POST /credentials/reissue)
  /** The presented credential is not a credential of an agency of this issuer (undecodable, unknown issuer or key). */
  reissue_credential_invalid: 400,
  /** The key that signed it was not revoked as compromised (still in force, or only routinely rotated). */
  reissue_not_compromised_key: 409,
  /** Its digest is in no issued-credential record with an anchored `credential.issued` entry: never issued here, or not anchored. */
  reissue_not_logged: 409,
  /** Its issuance was anchored on chain only in or after the block that revoked the key: it cannot be told from a forgery. */
  reissue_logged_too_late: 409,
  /** The signature does not verify with the revoked key. */
  reissue_signature_invalid: 400,
  /** This credential was re-issued already (single use). */
  reissue_already_done: 409,
  /** The credential is not in force (suspended, revoked, superseded, encumbered): the agency decides about it first. */
  reissue_not_active: 409,
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
