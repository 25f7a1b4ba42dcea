import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { Signature, SigningKey, computeAddress, sha256, toUtf8Bytes } from 'ethers';
import { HOLDER_CURVES } from './constants.js';
import { isBase64url, isObject } from './encoding.js';
import { checksummedAddress } from '../../chain/address.js';

/** A public EC key as a JWK (RFC 7517/7518), the only kind `cnf.jwk` and issuer keys take here. */
export interface EcPublicJwk {
  kty: 'EC';
  crv: string;
  x: string;
  y: string;
}

/**
 * The issuer key that signed an SD-JWT VC, as the caller resolved it from the issuer's did:ethr at issuance:
 * a public key, or (the usual did:ethr controller, `EcdsaSecp256k1RecoveryMethod2020`) an Ethereum address.
 */
export type IssuerKey = { jwk: EcPublicJwk } | { ethereumAddress: string };

/**
 * The public members of an EC JWK on a holder curve (P-256 or secp256k1), or `undefined` when `value` is
 * not one: other key types or curves, coordinates that are not 32 bytes of base64url, a point not on the
 * curve, or a private key (`d`) — a credential must never carry one. Never throws.
 */
export function holderJwk(value: unknown): EcPublicJwk | undefined {
  if (!isObject(value) || value.kty !== 'EC' || 'd' in value) return undefined;
  const { crv, x, y } = value;
  if (typeof crv !== 'string' || !Object.hasOwn(HOLDER_CURVES, crv)) return undefined;
  if (!coordinate(x) || !coordinate(y)) return undefined;
  const jwk: EcPublicJwk = { kty: 'EC', crv, x, y };
  return keyObject(jwk) ? jwk : undefined;
}

function coordinate(value: unknown): value is string {
  return typeof value === 'string' && value.length === 43 && isBase64url(value) && Buffer.from(value, 'base64url').length === 32;
}

/** node:crypto key of a JWK (OpenSSL checks the point is on the curve); undefined when it is not usable. */
export function keyObject(jwk: EcPublicJwk): KeyObject | undefined {
  try {
    return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** ES256 / ES256K: a 64-byte r‖s signature over SHA-256 of the signing input (RFC 7518 §3.4, RFC 8812 §3.2). */
export function verifyEcdsa(jwk: EcPublicJwk, signingInput: string, signature: Buffer): boolean {
  const key = keyObject(jwk);
  if (!key || signature.length !== 64) return false;
  try {
    return cryptoVerify('sha256', Buffer.from(signingInput, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** secp256k1 group order, to turn a high-s signature into its low-s twin (ethers refuses high s). */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Whether an ES256K signature was made by the key of `address`: ECDSA public key recovery (ethers) for both
 * parities. A recovered key verifies the signature by construction, so a match with the address is a valid
 * signature — what did-jwt does for address-only did:ethr methods. Never throws.
 */
export function verifyEs256kByAddress(address: string, signingInput: string, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  let expected: string;
  try {
    expected = checksummedAddress(address);
  } catch {
    return false;
  }
  const digest = sha256(toUtf8Bytes(signingInput));
  const r = BigInt(`0x${signature.subarray(0, 32).toString('hex')}`);
  let s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  if (r === 0n || r >= N || s === 0n || s >= N) return false;
  if (s > N / 2n) s = N - s;
  const hex = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;
  for (const yParity of [0, 1] as const) {
    try {
      const candidate = SigningKey.recoverPublicKey(digest, Signature.from({ r: hex(r), s: hex(s), yParity }));
      if (computeAddress(candidate) === expected) return true;
    } catch {
      // no point with this parity: try the other
    }
  }
  return false;
}

/** Whether `key` signed `signingInput` with ES256K. */
export function verifyIssuerSignature(key: IssuerKey, signingInput: string, signature: Buffer): boolean {
  if ('ethereumAddress' in key) return verifyEs256kByAddress(key.ethereumAddress, signingInput, signature);
  return key.jwk.crv === 'secp256k1' && verifyEcdsa(key.jwk, signingInput, signature);
}
