import { findTypeBySchemaRef, findTypeByVct } from '../../catalog/index.js';
import type { CredentialSchemaRef } from '../jwt-vc/credential.js';
import { parseStatusEntries, type StatusListEntry } from '../../status/status-entry.js';
import type { Problem } from '../../verification/types.js';
import { DEFAULT_LIMITS, ISSUER_ALGS, REGISTERED_CLAIMS, SCHEMA_CLAIM, SD_HASH_ALG, SD_JWT_VC_TYP, STATUS_MEMBER, type SdJwtLimits } from './constants.js';
import { rebuildClaims } from './disclosures.js';
import { MemberBudget, decodeCompactJws, isObject } from './encoding.js';
import { checkKeyBinding } from './key-binding.js';
import { holderJwk, verifyIssuerSignature, type EcPublicJwk, type IssuerKey } from './keys.js';

export interface VerifySdJwtVcOptions {
  /**
   * The issuer's key in force at issuance, named by the issuer-signed JWT's `iss`, `kid` and `iat` (the caller
   * resolves the did:ethr as of that time, from its mirror). `undefined` when the DID has no such key; throw
   * when the DID could not be read at all (reported as `did_unresolvable`).
   */
  resolveIssuerKey(ref: { iss: string; kid: string; iat: number }): Promise<IssuerKey | undefined>;
  /** The nonce the verifier issued; the KB-JWT must carry it. */
  expectedNonce?: string;
  /** The verifier's identifier (OpenID4VP `client_id`); the KB-JWT's `aud` must be it. */
  expectedAudience?: string;
  now: Date;
  /** How old a KB-JWT may be. @default 300 */
  maxKbAgeSeconds?: number;
  /** Tolerated clock difference for validity and KB-JWT `iat`. @default 60 */
  clockSkewSeconds?: number;
  /** Whether a Key Binding JWT must be present: true for presentations, false to check an issued credential. @default true */
  requireKeyBinding?: boolean;
  limits?: Partial<SdJwtLimits>;
}

/** What a verified SD-JWT VC says: the same fields for every format, and only the disclosed claims. */
export interface SdJwtVcView {
  format: typeof SD_JWT_VC_TYP;
  issuer: string;
  kid: string;
  vct: string;
  /** Catalog type name, when the vct is the catalog's. */
  type?: string;
  holderKey: EcPublicJwk;
  issuedAt: string;
  validFrom?: string;
  validUntil?: string;
  /** The on-chain status entries (revocation, suspension); their status is read from the chain mirror. */
  statusEntries: StatusListEntry[];
  schema?: CredentialSchemaRef;
  /** Disclosed claims only, nested objects rebuilt; registered claims (iss, vct, cnf, status…) left out. */
  claims: Record<string, unknown>;
  keyBinding?: { nonce: string; audience: string; issuedAt: string };
}

export interface SdJwtVcVerification {
  /** True only when there is no problem. */
  ok: boolean;
  problems: Problem[];
  /** Present when the issuer signature held and the disclosures were consistent, even if other checks failed: decide on `ok`. */
  view?: SdJwtVcView;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * Verifies an SD-JWT VC presentation (or, with `requireKeyBinding: false`, an issued SD-JWT VC) per RFC 9901
 * §7 and draft-ietf-oauth-sd-jwt-vc. Never throws: every failure is a problem with its own code. Sizes are
 * bounded before any parsing; the issuer signature is checked before any claim is looked at. Status is not
 * checked here (it comes from the chain mirror: see {@link SdJwtVcView.statusEntries}), and nothing is fetched.
 */
export async function verifySdJwtVc(input: unknown, options: VerifySdJwtVcOptions): Promise<SdJwtVcVerification> {
  try {
    return await verify(input, options);
  } catch {
    // A throwing resolver is handled inside; this is a last guard so the promise never rejects.
    return { ok: false, problems: [{ code: 'sd_jwt_malformed', message: 'the SD-JWT could not be processed', path: '' }] };
  }
}

async function verify(input: unknown, options: VerifySdJwtVcOptions): Promise<SdJwtVcVerification> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const fail = (code: Problem['code'], message: string, path = ''): SdJwtVcVerification => ({ ok: false, problems: [{ code, message, path }] });
  if (typeof input !== 'string') return fail('sd_jwt_malformed', 'an SD-JWT is a string');
  if (input.length > limits.maxLength) return fail('sd_jwt_too_large', `the SD-JWT is longer than ${limits.maxLength} characters`);
  let tildes = 0;
  for (let i = input.indexOf('~'); i >= 0; i = input.indexOf('~', i + 1)) tildes++;
  if (tildes === 0) return fail('sd_jwt_malformed', 'an SD-JWT has at least one ~ (RFC 9901 §4)');
  if (tildes - 1 > limits.maxDisclosures) return fail('sd_jwt_too_large', `more than ${limits.maxDisclosures} disclosures`);
  const parts = input.split('~');
  const kbJwt = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1);
  if (disclosures.some((d) => d.length === 0)) return fail('sd_jwt_malformed', 'an empty disclosure (~~)');

  const budget = new MemberBudget(limits.maxMembers);
  const decoded = decodeCompactJws(parts[0]!, limits, budget);
  if (!decoded.ok) {
    if (decoded.failure === 'too_deep') return fail('sd_jwt_too_deep', `the issuer-signed JWT nests deeper than ${limits.maxDepth} levels`);
    if (decoded.failure === 'too_large') return fail('sd_jwt_too_large', 'the issuer-signed JWT has too many members');
    return fail('sd_jwt_malformed', 'the issuer-signed JWT is not a compact JWS of JSON objects');
  }
  const { header, payload, signingInput, signature } = decoded.jws;
  if (header.typ !== SD_JWT_VC_TYP) return fail('sd_jwt_typ_invalid', `typ must be ${SD_JWT_VC_TYP}`, 'header.typ');
  if (typeof header.alg !== 'string' || !ISSUER_ALGS.includes(header.alg)) return fail('alg_not_allowed', `alg must be one of ${ISSUER_ALGS.join(', ')}`, 'header.alg');
  if (header.crit !== undefined) return fail('sd_jwt_crit_unsupported', 'the issuer-signed JWT names critical extensions this verifier does not understand', 'header.crit');
  const { iss, iat } = payload;
  if (typeof header.kid !== 'string' || typeof iss !== 'string' || typeof iat !== 'number' || !Number.isFinite(iat)) {
    return fail('sd_jwt_malformed', 'kid, iss and a numeric iat are required');
  }

  let key: IssuerKey | undefined;
  try {
    key = await options.resolveIssuerKey({ iss, kid: header.kid, iat });
  } catch {
    return fail('did_unresolvable', 'the issuer’s key could not be resolved', 'header.kid');
  }
  if (!key || !verifyIssuerSignature(key, signingInput, signature)) return fail('sd_jwt_signature_invalid', 'the issuer signature does not verify with the issuer’s key');

  // Signed content from here on: each check reports on its own.
  const problems: Problem[] = [];
  const add = (code: Problem['code'], message: string, path: string) => problems.push({ code, message, path });
  if (payload._sd_alg !== undefined && payload._sd_alg !== SD_HASH_ALG) {
    return fail('sd_jwt_hash_alg_unsupported', `_sd_alg must be ${SD_HASH_ALG}`, '_sd_alg');
  }
  const vct = payload.vct;
  const definition = findTypeByVct(vct);
  if (!definition) add('vct_unknown', 'vct is not a credential type of the catalog', 'vct');
  const schemaType = findTypeBySchemaRef(payload[SCHEMA_CLAIM]);
  if (definition && schemaType !== definition) add('schema_unknown', `${SCHEMA_CLAIM} is not the catalog schema of the vct`, SCHEMA_CLAIM);

  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.clockSkewSeconds ?? 60;
  const { nbf, exp } = payload;
  if ((nbf !== undefined && typeof nbf !== 'number') || (exp !== undefined && typeof exp !== 'number')) add('sd_jwt_malformed', 'nbf and exp must be numbers', 'nbf');
  if (typeof nbf === 'number' && nbf > now + skew) add('credential_not_yet_valid', 'the credential is not valid yet (nbf)', 'nbf');
  if (iat > now + skew) add('credential_not_yet_valid', 'the credential was issued in the future (iat)', 'iat');
  if (typeof exp === 'number' && exp < now - skew) add('credential_expired', 'the credential has expired (exp)', 'exp');

  const statusList = isObject(payload.status) ? payload.status[STATUS_MEMBER] : undefined;
  const status = parseStatusEntries(statusList);
  if ('error' in status) add('status_invalid', status.error, `status.${STATUS_MEMBER}`);

  const cnf = payload.cnf;
  const holderKey = isObject(cnf) && cnf.jwk !== undefined ? holderJwk(cnf.jwk) : undefined;
  if (!isObject(cnf) || cnf.jwk === undefined) add('cnf_missing', 'the credential has no cnf.jwk holder key', 'cnf');
  else if (!holderKey) add('cnf_invalid', 'cnf.jwk is not a public P-256 or secp256k1 EC key', 'cnf.jwk');

  const rebuilt = rebuildClaims(payload, disclosures, limits, budget);
  if (!rebuilt.ok) problems.push(...rebuilt.problems);

  let keyBinding: SdJwtVcView['keyBinding'];
  if (kbJwt === '') {
    if (options.requireKeyBinding ?? true) add('kb_jwt_missing', 'a presentation must end with a Key Binding JWT', 'kb_jwt');
  } else if (holderKey) {
    const expectations = { ...options, maxKbAgeSeconds: options.maxKbAgeSeconds ?? 300, clockSkewSeconds: skew };
    const kbProblems = checkKeyBinding(kbJwt, input.slice(0, input.length - kbJwt.length), holderKey, expectations, limits, budget);
    problems.push(...kbProblems);
    if (kbProblems.length === 0) keyBinding = keyBindingSummary(kbJwt);
  }

  const view: SdJwtVcView | undefined =
    rebuilt.ok && holderKey
      ? {
          format: SD_JWT_VC_TYP,
          issuer: iss,
          kid: header.kid,
          vct: String(vct),
          ...(definition ? { type: definition.type } : {}),
          holderKey,
          issuedAt: iso(iat),
          ...(typeof nbf === 'number' ? { validFrom: iso(nbf) } : {}),
          ...(typeof exp === 'number' ? { validUntil: iso(exp) } : {}),
          statusEntries: 'entries' in status ? (statusList as StatusListEntry[]) : [],
          ...(schemaType ? { schema: payload[SCHEMA_CLAIM] as CredentialSchemaRef } : {}),
          claims: Object.fromEntries(Object.entries(rebuilt.claims).filter(([name]) => !REGISTERED_CLAIMS.includes(name))),
          ...(keyBinding ? { keyBinding } : {}),
        }
      : undefined;
  return { ok: problems.length === 0, problems, ...(view ? { view } : {}) };
}

/** The KB-JWT's nonce, audience and time, already checked by {@link checkKeyBinding}. */
function keyBindingSummary(kbJwt: string): SdJwtVcView['keyBinding'] {
  const payload = JSON.parse(Buffer.from(kbJwt.split('.')[1]!, 'base64url').toString('utf8')) as { nonce: string; aud: string; iat: number };
  return { nonce: payload.nonce, audience: payload.aud, issuedAt: iso(payload.iat) };
}
