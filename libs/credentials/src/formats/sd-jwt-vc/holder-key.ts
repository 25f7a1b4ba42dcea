import { base64urlToBytes, bytesToHex } from '../../bytes.js';
import { HOLDER_CURVES } from './constants.js';
import { isBase64url, isObject } from './encoding.js';

/**
 * Holder keys (`cnf.jwk`) as the holder and the verifier read them. Browser-safe (the web wallet decodes its
 * credentials with it): the point is checked with plain bigint arithmetic, not node:crypto.
 */

/** A public EC key as a JWK (RFC 7517/7518), the only kind `cnf.jwk` and issuer keys take here. */
export interface EcPublicJwk {
  kty: 'EC';
  crv: string;
  x: string;
  y: string;
}

/** Short Weierstrass curves y² = x³ + ax + b over GF(p) (SEC 2 §2.4.1, §2.7.2). Both have cofactor 1. */
const CURVES: Record<string, { p: bigint; a: bigint; b: bigint }> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  secp256k1: { p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn, a: 0n, b: 7n },
};

/**
 * Whether (x, y) is a point of the named curve: coordinates below p and the curve equation holds. With
 * cofactor 1 every such point is in the prime-order group, so this is the whole public-key validation
 * (SEC 1 §3.2.2.1), what OpenSSL checks when it imports the key.
 */
export function isOnCurve(crv: string, x: Uint8Array, y: Uint8Array): boolean {
  const curve = CURVES[crv];
  if (!curve) return false;
  const { p, a, b } = curve;
  const X = BigInt(`0x${bytesToHex(x) || '0'}`);
  const Y = BigInt(`0x${bytesToHex(y) || '0'}`);
  if (X >= p || Y >= p) return false;
  return (Y * Y - (X * X * X + a * X + b)) % p === 0n;
}

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
  if (!isOnCurve(crv, base64urlToBytes(x), base64urlToBytes(y))) return undefined;
  return { kty: 'EC', crv, x, y };
}

function coordinate(value: unknown): value is string {
  return typeof value === 'string' && value.length === 43 && isBase64url(value) && base64urlToBytes(value).length === 32;
}
