/**
 * Stable codes of verification problems. A verifier answers `{verified, checks, problems}` and every
 * problem names one of these codes; clients (banks, employers, other departments) may switch on them, so a
 * code is never renamed or reused for another meaning. Each hostile input has its own code.
 */
export const PROBLEM_CODES = [
  // Shape of what was presented
  'jwt_malformed',
  'alg_not_allowed',
  'presentation_malformed',
  'credential_malformed',
  /** A JWT longer than the verifier reads (see JWT_LIMITS), or whose header or payload holds too many values. */
  'jwt_too_large',
  /** A JWT header or payload nested deeper than the verifier reads (see JWT_LIMITS). */
  'jwt_too_deep',
  /** A JWS header whose `crit` names extensions the verifier does not understand (RFC 7515 §4.1.11). */
  'jwt_crit_unsupported',
  /** A presentation carrying more credentials than the verifier checks (see JWT_LIMITS). */
  'too_many_credentials',
  // Signatures and keys
  /** A did:ethr DID that is broken: wrong EIP-55 checksum, bad hex or length. Not worth retrying. */
  'did_invalid',
  /**
   * The signer's DID could not be resolved: the chain could not be read (worth retrying later), or the DID is
   * not a did:ethr identity on the verifier's chain.
   */
  'did_unresolvable',
  'presentation_signature_invalid',
  'credential_signature_invalid',
  /**
   * The key that signed the credential was revoked by the issuer on chain (ERC-1056 `revokeAttribute` or
   * `revokeDelegate`, after a compromise): every credential of that key fails, whatever its issuance time. A key
   * whose period merely ended is not revoked.
   */
  'issuer_key_revoked',
  // Freshness and binding of a presentation
  'challenge_mismatch',
  'challenge_unknown',
  'challenge_expired',
  'challenge_replayed',
  'domain_mismatch',
  'presentation_expired',
  'presentation_not_yet_valid',
  'holder_mismatch',
  // Validity period of a credential
  'credential_expired',
  'credential_not_yet_valid',
  // Schema (the catalog)
  'schema_unknown',
  'claims_invalid',
  // Status lists (the status mirror)
  'status_invalid',
  'credential_revoked',
  'credential_suspended',
  /** A property title that was transferred: the registry issued a newer certificate (final). */
  'credential_superseded',
  'status_unknown',
  // Accreditation (the trust mirror)
  'issuer_not_accredited',
  'issuer_not_accredited_for_type',
  'accreditation_not_in_force',
  'accreditation_unknown',
  // What a presentation request asked for
  'requested_credential_missing',
  'requested_claim_missing',
  'issuer_not_trusted',
  // SD-JWT VC (RFC 9901, draft-ietf-oauth-sd-jwt-vc): the compact form and its issuer-signed JWT
  'sd_jwt_malformed',
  'sd_jwt_too_large',
  'sd_jwt_too_deep',
  'sd_jwt_typ_invalid',
  'sd_jwt_crit_unsupported',
  'sd_jwt_signature_invalid',
  'sd_jwt_hash_alg_unsupported',
  'vct_unknown',
  // SD-JWT disclosures (RFC 9901 §7.1)
  'disclosure_malformed',
  'disclosure_digest_missing',
  'disclosure_duplicated',
  'sd_digest_duplicated',
  'disclosure_reserved_name',
  'disclosure_claim_collision',
  'disclosure_wrong_kind',
  // Holder binding and the Key Binding JWT (RFC 9901 §4.3, §7.3)
  'cnf_missing',
  'cnf_invalid',
  'kb_jwt_missing',
  'kb_jwt_malformed',
  'kb_jwt_signature_invalid',
  'kb_jwt_sd_hash_mismatch',
  'kb_jwt_nonce_mismatch',
  'kb_jwt_audience_mismatch',
  'kb_jwt_iat_invalid',
] as const;

/** One stable verification problem code. */
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Whether `value` is one of {@link PROBLEM_CODES}. */
export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && (PROBLEM_CODES as readonly string[]).includes(value);
}
