import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { checksummedAddress } from '../../chain/address.js';
import { es256kRecoverKeyOf, es256kVerify, secp256k1Point } from '../../crypto/secp256k1.js';
import type { EcPublicJwk } from './holder-key.js';

/**
 * Signature checks of the verifier side: ES256 with node:crypto (OpenSSL), ES256K with libsecp256k1
 * (crypto/secp256k1.ts, ~5x faster than OpenSSL there). The browser-safe parts live in holder-key.ts (the holder
 * key and its validation) and ethereum-signature.ts (ES256K by address, pure JS), re-exported here.
 */
export { holderJwk, type EcPublicJwk } from './holder-key.js';
export { verifyEs256kByAddress } from './ethereum-signature.js';

/**
 * The issuer key that signed an SD-JWT VC, as the caller resolved it from the issuer's did:ethr at issuance:
 * a public key, or (the usual did:ethr controller, `EcdsaSecp256k1RecoveryMethod2020`) an Ethereum address.
 */
export type IssuerKey = { jwk: EcPublicJwk } | { ethereumAddress: string };

/** node:crypto key of a JWK (OpenSSL checks the point is on the curve); undefined when it is not usable. */
export function keyObject(jwk: EcPublicJwk): KeyObject | undefined {
  try {
    return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** ES256 / ES256K: a 64-byte r‖s signature over SHA-256 of the signing input (RFC 7518 §3.4, RFC 8812 §3.2). */
export function verifyEcdsa(jwk: EcPublicJwk, signingInput: string, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  if (jwk.crv === 'secp256k1') {
    const point = secp256k1PointOfJwk(jwk);
    return point !== undefined && es256kVerify(point, signingInput, signature);
  }
  const key = keyObject(jwk);
  if (!key) return false;
  try {
    return cryptoVerify('sha256', Buffer.from(signingInput, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** The uncompressed point of a secp256k1 JWK; undefined when it is not a point on the curve. */
function secp256k1PointOfJwk(jwk: EcPublicJwk): Uint8Array | undefined {
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y, 'base64url');
  if (x.length !== 32 || y.length !== 32) return undefined;
  return secp256k1Point(Buffer.concat([Buffer.of(4), x, y]));
}

/** Whether `key` signed `signingInput` with ES256K. */
export function verifyIssuerSignature(key: IssuerKey, signingInput: string, signature: Uint8Array): boolean {
  if ('ethereumAddress' in key) return verifyEs256kByAddressNative(key.ethereumAddress, signingInput, signature);
  return key.jwk.crv === 'secp256k1' && verifyEcdsa(key.jwk, signingInput, signature);
}

/** {@link verifyEs256kByAddress} (same answers) by libsecp256k1 recovery, ~20x faster than its pure-JS path. */
function verifyEs256kByAddressNative(address: string, signingInput: string, signature: Uint8Array): boolean {
  let expected: string;
  try {
    expected = checksummedAddress(address);
  } catch {
    return false;
  }
  return es256kRecoverKeyOf(expected, signingInput, signature) !== undefined;
}
