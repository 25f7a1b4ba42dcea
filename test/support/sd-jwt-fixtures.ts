/**
 * Keys and credentials for the SD-JWT VC unit tests (no chain, no I/O): an agency secp256k1 key (node:crypto,
 * or an ethers wallet for the address-only did:ethr form), P-256 and secp256k1 holder keys, status entries,
 * and helpers to re-sign tampered issuer payloads and Key Binding JWTs, as a hostile issuer or holder would.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Wallet } from 'ethers';
import {
  issueSdJwtVc,
  statusEntries,
  type EcPublicJwk,
  type IssueSdJwtVcInput,
  type IssuerKey,
  type VerifySdJwtVcOptions,
} from '../../libs/credentials/src/index.js';

const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const decodePart = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** A key that signs JWS signing inputs (ES256 or ES256K, r‖s). */
export interface TestKey {
  jwk: EcPublicJwk;
  alg: 'ES256' | 'ES256K';
  sign(signingInput: string): Promise<string>;
}

export function ecKey(curve: 'P-256' | 'secp256k1'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return {
    jwk: { kty: kty as 'EC', crv: crv!, x: x!, y: y! },
    alg: curve === 'P-256' ? 'ES256' : 'ES256K',
    sign: async (input) => signWith(privateKey, input),
  };
}

function signWith(privateKey: KeyObject, input: string): string {
  return sign('sha256', Buffer.from(input, 'ascii'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** An agency whose did:ethr controller is an address (the usual case): signs with an ethers wallet. */
export function addressIssuer(): { address: string; sign(input: string): Promise<string> } {
  const wallet = Wallet.createRandom();
  return {
    address: wallet.address,
    sign: async (input) => {
      const signature = wallet.signingKey.sign(createHash('sha256').update(input, 'ascii').digest());
      return Buffer.concat([Buffer.from(signature.r.slice(2), 'hex'), Buffer.from(signature.s.slice(2), 'hex')]).toString('base64url');
    },
  };
}

export const ISSUER_DID = 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111';
export const KID = `${ISSUER_DID}#controller`;
export const NOW = new Date('2026-06-01T08:00:00Z');
export const STATUS = statusEntries({
  chainId: 31337,
  statusRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  owner: '0x1111111111111111111111111111111111111111',
  revocationListId: 1n,
  suspensionListId: 2n,
  index: 4242,
});

/** The agency key every test credential is signed with, and a resolver that knows only it. */
export const issuerKey = ecKey('secp256k1');
export const resolveIssuerKey: VerifySdJwtVcOptions['resolveIssuerKey'] = async ({ iss, kid }) =>
  iss === ISSUER_DID && kid === KID ? ({ jwk: issuerKey.jwk } satisfies IssuerKey) : undefined;

export function issue(type: string, claims: Record<string, unknown>, holder: TestKey, extra: Partial<IssueSdJwtVcInput> = {}): Promise<string> {
  return issueSdJwtVc({
    type,
    claims,
    issuerDid: ISSUER_DID,
    kid: KID,
    signer: issuerKey.sign,
    holderJwk: holder.jwk,
    statusEntries: STATUS,
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validUntil: new Date('2036-01-01T00:00:00Z'),
    now: NOW,
    ...extra,
  });
}

/** Re-signs an SD-JWT's issuer JWT after `edit` changed its header or payload (a hostile or broken issuer). */
export async function resign(
  sdJwt: string,
  edit: (jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) => void,
  signer: (input: string) => Promise<string> = issuerKey.sign,
): Promise<string> {
  const [jwt, ...rest] = sdJwt.split('~');
  const [h, p] = jwt!.split('.');
  const parts = { header: decodePart(h!) as Record<string, unknown>, payload: decodePart(p!) as Record<string, unknown> };
  edit(parts);
  const input = `${b64u(parts.header)}.${b64u(parts.payload)}`;
  return [`${input}.${await signer(input)}`, ...rest].join('~');
}

/** base64url of a disclosure array, as an issuer would encode it. */
export const encodeDisclosure = (array: unknown[]) => b64u(array);
/** The digest of an encoded disclosure (RFC 9901 §4.2.3). */
export const digestOf = (disclosure: string) => createHash('sha256').update(disclosure, 'ascii').digest('base64url');

/** Appends a Key Binding JWT to an SD-JWT ending in `~`, with any header or payload (hostile holders included). */
export async function withKb(
  sdJwt: string,
  key: TestKey,
  overrides: { header?: Record<string, unknown>; payload?: Record<string, unknown> } = {},
): Promise<string> {
  const header = { typ: 'kb+jwt', alg: key.alg, ...overrides.header };
  const payload = {
    iat: Math.floor(NOW.getTime() / 1000),
    aud: 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222',
    nonce: 'nonce-1',
    sd_hash: createHash('sha256').update(sdJwt, 'ascii').digest('base64url'),
    ...overrides.payload,
  };
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${sdJwt}${input}.${await key.sign(input)}`;
}

export const AUDIENCE = 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222';
export const NONCE = 'nonce-1';

/** Decoded disclosures of an SD-JWT string (everything between the first and the last `~`). */
export function disclosuresOf(sdJwt: string): unknown[][] {
  return sdJwt.split('~').slice(1, -1).map((d) => decodePart(d) as unknown[]);
}
