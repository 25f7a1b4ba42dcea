/** Media type of an SD-JWT VC in the issuer-signed JWT's `typ` (draft-ietf-oauth-sd-jwt-vc §3.2.1). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';
/** `typ` of a Key Binding JWT (RFC 9901 §4.3). */
export const KB_JWT_TYP = 'kb+jwt';
/** The only `_sd_alg` govcred issues and accepts (RFC 9901 §4.1.1: SHA-256 is the default and must be supported). */
export const SD_HASH_ALG = 'sha-256';
/** Issuer signatures: the agency's did:ethr key is secp256k1. */
export const ISSUER_ALGS: readonly string[] = ['ES256K'];
/**
 * Holder keys (`cnf.jwk`) and the KB-JWT algorithm each implies: P-256 (ES256, what WebCrypto and most
 * wallets have) and secp256k1 (ES256K, the same curve as a did:ethr key). The KB-JWT `alg` must be the one
 * of the cnf key's curve: ES256 is accepted for a KB-JWT only when `cnf.jwk` is a P-256 key, never for issuers.
 */
export const HOLDER_CURVES: Readonly<Record<string, 'ES256' | 'ES256K'>> = { 'P-256': 'ES256', secp256k1: 'ES256K' };

/**
 * Where govcred puts a credential's on-chain status entries inside the `status` claim (Token Status List
 * §6.1 lets `status` hold other mechanisms by name): the same two {@link StatusListEntry} objects a JWT VC
 * carries in `credentialStatus`, read from the chain mirror, never fetched.
 */
export const STATUS_MEMBER = 'eip155_status_list';
/** Claim carrying the catalog schema reference (id + SRI digest), as `credentialSchema` in a JWT VC. */
export const SCHEMA_CLAIM = 'credential_schema';

/** Claim names a disclosure may never carry at any level (RFC 9901 §4.2.1). */
export const RESERVED_EVERYWHERE: readonly string[] = ['_sd', '...'];
/**
 * Top-level claims that must be in clear (draft-ietf-oauth-sd-jwt-vc §3.2.2.2: iss, nbf, exp, cnf, vct,
 * vct#integrity, status) plus `_sd_alg` (RFC 9901 §4.1.1) and govcred's schema reference.
 */
export const RESERVED_AT_TOP: readonly string[] = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', '_sd_alg', SCHEMA_CLAIM];
/** Top-level claims that describe the credential rather than its subject: not part of the view's `claims`. */
export const REGISTERED_CLAIMS: readonly string[] = [...RESERVED_AT_TOP, 'iat', 'sub'];

/** Bounds checked before any parsing work; each is far above what a govcred credential needs. */
export interface SdJwtLimits {
  /** Whole compact string, characters. @default 65536 */
  maxLength: number;
  /** Disclosures in one SD-JWT. @default 128 */
  maxDisclosures: number;
  /** One encoded disclosure, characters. @default 8192 */
  maxDisclosureLength: number;
  /** Nesting of decoded JSON (the payload, a disclosure, the rebuilt claims). @default 8 */
  maxDepth: number;
  /** Object members and array elements of all decoded JSON together. @default 4096 */
  maxMembers: number;
}

export const DEFAULT_LIMITS: Readonly<SdJwtLimits> = Object.freeze({
  maxLength: 65_536,
  maxDisclosures: 128,
  maxDisclosureLength: 8_192,
  maxDepth: 8,
  maxMembers: 4_096,
});
