import { randomBytes, randomInt } from 'node:crypto';
import { deriveClaims, getCredentialType, schemaReference, validateClaims, vctOf } from '../../catalog/index.js';
import { GovcredError } from '../../errors.js';
import type { StatusListEntry } from '../../status/status-entry.js';
import { ISSUER_ALGS, SCHEMA_CLAIM, SD_HASH_ALG, SD_JWT_VC_TYP, STATUS_MEMBER } from './constants.js';
import { sha256b64u } from './encoding.js';
import { holderJwk } from './keys.js';

/** Signs a JWS signing input (`<header>.<payload>`) with the issuer's key; returns the base64url r‖s signature. */
export type JwsSigner = (signingInput: string) => Promise<string>;

/** Everything an issuer decides before signing an SD-JWT VC. */
export interface IssueSdJwtVcInput {
  /** Catalog type name, e.g. `NationalIdCredential`. */
  type: string;
  /** Claims of the type (validated here again against its schema). */
  claims: Record<string, unknown>;
  /** The agency's DID (`iss`). */
  issuerDid: string;
  /** DID URL of the signing key (`kid` header), e.g. `did:ethr:0x7a69:0x…#controller`. */
  kid: string;
  /** ES256K signer of the agency's secp256k1 key (its KMS). */
  signer: JwsSigner;
  /** The holder's public key (P-256 or secp256k1 JWK): `cnf.jwk`, which signs Key Binding JWTs. */
  holderJwk: unknown;
  /** The credential's on-chain status entries (revocation, suspension), as JWT VCs carry them. */
  statusEntries: StatusListEntry[];
  /** Start of validity (`nbf`); none when absent. */
  validFrom?: Date;
  /** End of validity (`exp`); none when absent. */
  validUntil?: Date;
  /** Issuance time (`iat`), also the "now" of derived claims such as `age_over_18`. */
  now: Date;
  /**
   * Decoy digests per object or array that has selectively disclosable members: a random count in
   * `[min, max]` each time, so the number of claims is hidden (RFC 9901 §4.2.5). `false` for none.
   * @default { min: 1, max: 4 }
   */
  decoys?: { min: number; max: number } | false;
}

/** CSPRNG bytes drawn 4 KiB at a time: one `randomBytes` call per salt cost ~1/3 of a millisecond a credential. */
let saltPool = Buffer.alloc(0);
let saltOffset = 0;

/**
 * 128-bit salts (RFC 9901 §4.2.1 recommends 128 bits), each from bytes of the pool never used before.
 * Hand-written: `@sd-jwt/crypto-nodejs`'s generateSalt(16) returns 16 hex characters, only 64 bits.
 */
const salt = () => {
  if (saltOffset + 16 > saltPool.length) {
    saltPool = randomBytes(4096);
    saltOffset = 0;
  }
  saltOffset += 16;
  return saltPool.toString('base64url', saltOffset - 16, saltOffset);
};

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Issues an SD-JWT VC (`typ: dc+sd-jwt`, RFC 9901 + draft-ietf-oauth-sd-jwt-vc) of a catalog type: `iss`,
 * `vct`, `iat`, `nbf`/`exp`, `cnf.jwk`, `status` with the on-chain entries and the schema reference in clear;
 * every claim of the type and every derived claim selectively disclosable, each member of nested objects and
 * arrays too, with decoys; signed by `signer`. The token is the one `@sd-jwt/sd-jwt-vc` 0.19's `issue` builds
 * from the same payload and an all-disclosable frame (same members, order, `_sd` sorted, array decoys last),
 * which its verifier accepts (tested); built here because the library spent ~1 ms a credential on it, more than
 * the signature (an await per disclosure, base64 in JavaScript).
 * @returns the compact SD-JWT with all disclosures, ending in `~` (no Key Binding JWT).
 * @throws GovcredError `unknown_credential_type`, `invalid_claims` or `invalid_subject` (bad holder key) —
 *   caller input the issuer API should have refused first.
 */
export async function issueSdJwtVc(input: IssueSdJwtVcInput): Promise<string> {
  const definition = getCredentialType(input.type);
  if (!definition) throw new GovcredError('unknown_credential_type', `unknown credential type: ${String(input.type)}`);
  const validation = validateClaims(input.type, input.claims);
  if (!validation.ok) throw new GovcredError('invalid_claims', 'claims do not match the credential type', { errors: validation.errors });
  const jwk = holderJwk(input.holderJwk);
  if (!jwk) throw new GovcredError('invalid_subject', 'holderJwk must be a public P-256 or secp256k1 EC JWK');

  const subjectClaims = { ...input.claims, ...deriveClaims(input.type, input.claims, input.now) };
  const decoys = input.decoys === undefined ? { min: 1, max: 4 } : input.decoys;
  const disclosures: string[] = [];
  // Claims in clear first, then the digests of the subject's (RFC 9901 §4.2.4.1), then `_sd_alg` (§4.1.1).
  const payload = {
    iss: input.issuerDid,
    iat: seconds(input.now),
    ...(input.validFrom ? { nbf: seconds(input.validFrom) } : {}),
    ...(input.validUntil ? { exp: seconds(input.validUntil) } : {}),
    vct: vctOf(definition),
    cnf: { jwk },
    status: { [STATUS_MEMBER]: input.statusEntries },
    [SCHEMA_CLAIM]: schemaReference(input.type),
    ...packObject(subjectClaims, decoys, disclosures),
    _sd_alg: SD_HASH_ALG,
  };
  const header = { typ: SD_JWT_VC_TYP, kid: input.kid, alg: ISSUER_ALGS[0] };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = await input.signer(signingInput);
  return `${signingInput}.${signature}~${disclosures.map((d) => `${d}~`).join('')}`;
}

type Decoys = { min: number; max: number } | false;

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const decoyCount = (decoys: Decoys) => (decoys ? randomInt(decoys.min, decoys.max + 1) : 0);

/**
 * Every member of `value` made a disclosure (RFC 9901 §4.2.1: `[salt, name, value]`), nested objects and arrays
 * packed first; returns `{ _sd: [...] }` with the digests and decoys sorted (§4.2.5: no order to read anything
 * from). Disclosures are appended to `out` (nested ones before their parent's).
 */
function packObject(value: Record<string, unknown>, decoys: Decoys, out: string[]): { _sd?: string[] } {
  const packed = Object.entries(value).map(([key, child]) => [key, pack(child, decoys, out)] as const);
  const sd = packed.map(([key, child]) => disclose([salt(), key, child], out));
  for (let i = decoyCount(decoys); i > 0; i--) sd.push(sha256b64u(salt()));
  return sd.length > 0 ? { _sd: sd.sort() } : {};
}

/** Each element of an array made a disclosure (`[salt, value]`, §4.2.2) and replaced by `{"...": digest}`; decoys last. */
function packArray(value: unknown[], decoys: Decoys, out: string[]): Array<{ '...': string }> {
  const packed = value.map((child) => pack(child, decoys, out));
  const items = packed.map((child) => ({ '...': disclose([salt(), child], out) }));
  for (let i = decoyCount(decoys); i > 0; i--) items.push({ '...': sha256b64u(salt()) });
  return items;
}

function pack(value: unknown, decoys: Decoys, out: string[]): unknown {
  if (Array.isArray(value)) return packArray(value, decoys, out);
  if (typeof value === 'object' && value !== null) return packObject(value as Record<string, unknown>, decoys, out);
  return value;
}

/** Appends the disclosure of `content` to `out` and returns its digest. */
function disclose(content: unknown[], out: string[]): string {
  const encoded = base64url(JSON.stringify(content));
  out.push(encoded);
  return sha256b64u(encoded);
}
