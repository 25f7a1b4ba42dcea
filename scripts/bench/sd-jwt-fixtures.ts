/**
 * What the SD-JWT VC benchmark rows share: holder keys, the claims and the four disclosed paths, and the
 * `@sd-jwt/sd-jwt-vc` 0.19 reference instances the baselines run (issuance and verification).
 */
import { createPublicKey, generateKeyPairSync, randomBytes, randomInt, sign, verify } from 'node:crypto';
import { SDJwtVcInstance, type SdJwtVcPayload } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';
import type { DisclosureFrame, JwtPayload } from '@sd-jwt/types';
import { ES256KSigner } from 'did-jwt';
import { getBytes } from 'ethers';
import {
  SCHEMA_CLAIM,
  SD_JWT_VC_TYP,
  STATUS_MEMBER,
  deriveClaims,
  getCredentialType,
  schemaReference,
  vctOf,
  type EcPublicJwk,
  type StatusListEntry,
} from '../../libs/credentials/src/index.js';
import { es256kSigner } from '../../libs/credentials/src/crypto/secp256k1.js';
import { verifyEs256kByAddress, verifyIssuerSignature } from '../../libs/credentials/src/formats/sd-jwt-vc/keys.js';

export const SD_JWT_TYPE = 'NationalIdCredential';

/** The four claims every benchmarked presentation discloses (and every benchmarked query asks for). */
export const DISCLOSED_CLAIMS = ['name', 'nameZh', 'birthDate', 'citizenIdNumber'] as const;

/** A holder's P-256 key: `cnf.jwk` of its credentials, signing Key Binding JWTs (ES256, r‖s). */
export interface HolderKey {
  jwk: EcPublicJwk;
  sign(signingInput: string): Promise<string>;
}

export function holderKey(): HolderKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  return {
    jwk: { kty: 'EC', crv: 'P-256', x: x!, y: y! },
    sign: async (input) => sign('sha256', Buffer.from(input, 'ascii'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
  };
}

/**
 * Which ES256K implementation the reference uses (the library has none of its own: its user brings one):
 * `noble`, the JavaScript ecosystem's usual one (did-jwt's ES256KSigner, what Veramo's kms-local signs with; ethers'
 * key recovery to check against an address), the declared baseline; or `libsecp256k1`, what the issuer and
 * verifier services use (libs/credentials/src/crypto/secp256k1.ts), reported beside it so that the share of the
 * ratio owed to the signature library is visible.
 */
export type SignatureLibrary = 'noble' | 'libsecp256k1';

/** The agency's ES256K signer (RFC 6979, low-s, r‖s base64url: both libraries make the same signature). */
export function agencySigner(privateKeyHex: string, library: SignatureLibrary = 'noble'): (input: string) => Promise<string> {
  if (library === 'libsecp256k1') {
    const sign = es256kSigner(getBytes(privateKeyHex));
    return async (input) => sign(input);
  }
  const signer = ES256KSigner(getBytes(privateKeyHex));
  return (input) => signer(input) as Promise<string>;
}

/** 128-bit salts, as the issuer's (crypto-nodejs' generateSalt(16) gives 64 bits). */
const salt = () => randomBytes(16).toString('base64url');

type Frame = Record<string, unknown>;

/** Every member disclosable, recursively, with 1–4 decoys per level: the frame the issuer builds. */
function everyClaimFrame(value: Record<string, unknown> | unknown[]): Frame {
  const frame: Frame = {};
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof child === 'object' && child !== null) frame[String(key)] = everyClaimFrame(child as Record<string, unknown>);
  }
  frame._sd = entries.map(([key]) => key);
  frame._sd_decoy = randomInt(1, 5);
  return frame;
}

/**
 * The reference issuer: `SDJwtVcInstance` with the issuer's algorithm (ES256K, by `library`), sha-256
 * from `@sd-jwt/crypto-nodejs`, 128-bit salts. `issue` builds the payload the issuer service signs (iss, iat,
 * vct, cnf.jwk, status entries, schema reference, the claims and their derived claims) and discloses every
 * claim with the same frame. No schema validation and no record: the library has neither.
 */
export function referenceIssuer(input: { issuerDid: string; kid: string; privateKeyHex: string; claims: Record<string, unknown>; library?: SignatureLibrary }) {
  const definition = getCredentialType(SD_JWT_TYPE)!;
  const now = new Date();
  const subjectClaims = { ...input.claims, ...deriveClaims(SD_JWT_TYPE, input.claims, now) };
  const instance = new SDJwtVcInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: salt, signer: agencySigner(input.privateKeyHex, input.library), signAlg: 'ES256K' });
  return (holder: EcPublicJwk, status: StatusListEntry[]): Promise<string> => {
    const payload: SdJwtVcPayload = {
      iss: input.issuerDid,
      iat: Math.floor(Date.now() / 1000),
      vct: vctOf(definition),
      cnf: { jwk: holder },
      status: { [STATUS_MEMBER]: status } as unknown as SdJwtVcPayload['status'],
      [SCHEMA_CLAIM]: schemaReference(SD_JWT_TYPE),
      ...subjectClaims,
    };
    return instance.issue(payload, everyClaimFrame(subjectClaims) as DisclosureFrame<SdJwtVcPayload>, { header: { typ: SD_JWT_VC_TYP, kid: input.kid } });
  };
}

/**
 * The reference verifier: `SDJwtVcInstance.verify()` with a Key Binding JWT required (its nonce checked by the
 * library, `aud` here), the four claims required, the issuer signature checked by public key recovery against the
 * agency's address (ES256K, by `library`: ethers for `noble`, or the verifier service's check), the KB-JWT with node:crypto against
 * `cnf.jwk`. No status check: `statusListFetcher` counts its calls so the bench can assert there were none
 * (govcred's status entries are no Token Status List, so the library never reaches for one).
 */
export function referenceVerifier(issuerAddress: string, domain: string, library: SignatureLibrary = 'noble') {
  let statusFetches = 0;
  const checkIssuer =
    library === 'libsecp256k1'
      ? (data: string, signature: string) => verifyIssuerSignature({ ethereumAddress: issuerAddress }, data, Buffer.from(signature, 'base64url'))
      : (data: string, signature: string) => verifyEs256kByAddress(issuerAddress, data, Buffer.from(signature, 'base64url'));
  const instance = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: checkIssuer,
    kbVerifier: (data, signature, payload: JwtPayload) => {
      const jwk = (payload.cnf as { jwk: EcPublicJwk }).jwk;
      const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
      return verify('sha256', Buffer.from(data, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    },
    statusListFetcher: async () => {
      statusFetches++;
      throw new Error('the baseline must not check status');
    },
  });
  return {
    /** True when the presentation verifies with its KB-JWT bound to `nonce` and the domain. */
    async verify(presentation: string, nonce: string): Promise<boolean> {
      try {
        const result = await instance.verify(presentation, { keyBindingNonce: nonce, requiredClaimKeys: [...DISCLOSED_CLAIMS] });
        return result.kb?.payload.aud === domain;
      } catch {
        return false;
      }
    },
    statusFetches: () => statusFetches,
  };
}
