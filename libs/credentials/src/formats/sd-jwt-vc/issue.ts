import { randomBytes, randomInt } from 'node:crypto';
import { SDJwtVcInstance, type SdJwtVcPayload } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';
import type { DisclosureFrame } from '@sd-jwt/types';
import { deriveClaims, getCredentialType, schemaReference, validateClaims, vctOf } from '../../catalog/index.js';
import { GovcredError } from '../../errors.js';
import type { StatusListEntry } from '../../status/status-entry.js';
import { ISSUER_ALGS, SCHEMA_CLAIM, SD_HASH_ALG, SD_JWT_VC_TYP, STATUS_MEMBER } from './constants.js';
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
 * arrays too, with decoys. Built, hashed (SHA-256) and salted by `@sd-jwt/sd-jwt-vc`; signed by `signer`.
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
  const payload: SdJwtVcPayload = {
    iss: input.issuerDid,
    iat: seconds(input.now),
    ...(input.validFrom ? { nbf: seconds(input.validFrom) } : {}),
    ...(input.validUntil ? { exp: seconds(input.validUntil) } : {}),
    vct: vctOf(definition),
    cnf: { jwk },
    // The library types `status` as a Token Status List reference; govcred's mechanism is another member.
    status: { [STATUS_MEMBER]: input.statusEntries } as unknown as SdJwtVcPayload['status'],
    [SCHEMA_CLAIM]: schemaReference(input.type),
    ...subjectClaims,
  };
  const decoys = input.decoys === undefined ? { min: 1, max: 4 } : input.decoys;
  const frame = { ...frameOf(subjectClaims, decoys) } as DisclosureFrame<SdJwtVcPayload>;

  const instance = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: SD_HASH_ALG,
    saltGenerator: salt,
    signer: input.signer,
    signAlg: ISSUER_ALGS[0],
  });
  return instance.issue(payload, frame, { header: { typ: SD_JWT_VC_TYP, kid: input.kid } });
}

type Frame = Record<string, unknown>;

/**
 * The library's disclosure frame making every member of `value` selectively disclosable, recursively:
 * `_sd` lists the members (indexes for arrays), `_sd_decoy` the number of decoys at that level.
 */
function frameOf(value: Record<string, unknown> | unknown[], decoys: { min: number; max: number } | false): Frame {
  const frame: Frame = {};
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof child === 'object' && child !== null) frame[String(key)] = frameOf(child as Record<string, unknown>, decoys);
  }
  frame._sd = entries.map(([key]) => key);
  if (decoys) frame._sd_decoy = randomInt(decoys.min, decoys.max + 1);
  return frame;
}
