import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { verifyEs256kByAddress } from './ethereum-signature.js';
import type { EcPublicJwk } from './holder-key.js';

/**
 * Signature checks of the verifier side (node:crypto). The browser-safe parts live in holder-key.ts (the
 * holder key and its validation) and ethereum-signature.ts (ES256K by address), re-exported here.
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
  const key = keyObject(jwk);
  if (!key || signature.length !== 64) return false;
  try {
    return cryptoVerify('sha256', Buffer.from(signingInput, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** Whether `key` signed `signingInput` with ES256K. */
export function verifyIssuerSignature(key: IssuerKey, signingInput: string, signature: Uint8Array): boolean {
  if ('ethereumAddress' in key) return verifyEs256kByAddress(key.ethereumAddress, signingInput, signature);
  return key.jwk.crv === 'secp256k1' && verifyEcdsa(key.jwk, signingInput, signature);
}
