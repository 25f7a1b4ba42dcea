import type { Jwk } from '@openid4vc/oauth2';
import { Signature, SigningKey, computeAddress, getAddress, getBytes, sha256, toUtf8Bytes } from 'ethers';
import { base64urlToBytes, bytesToBase64url, bytesToHex } from '../bytes.js';

/** The JWK (RFC 7517, `crv: secp256k1`) of a secp256k1 public key given as hex, compressed or not. */
export function secp256k1Jwk(publicKeyHex: string): Jwk {
  const uncompressed = SigningKey.computePublicKey(`0x${publicKeyHex.replace(/^0x/, '')}`, false);
  const bytes = getBytes(`0x${uncompressed.slice(4)}`);
  return { kty: 'EC', crv: 'secp256k1', x: bytesToBase64url(bytes.subarray(0, 32)), y: bytesToBase64url(bytes.subarray(32)) };
}

/**
 * The public key that made an ES256K JWS, as a JWK, if it belongs to `address`; undefined otherwise. An
 * address-form did:ethr names no public key, yet the library wants the signer's JWK: ECDSA lets us recover
 * it from the signature (ethers), and the address tells which of the two candidates it is. This does not
 * verify the signature on its own terms: callers verify first (did-jwt).
 */
export function recoverSecp256k1Jwk(compactJws: string, address: string): Jwk | undefined {
  const [header, payload, signature] = compactJws.split('.');
  if (signature === undefined) return undefined;
  const rs = base64urlToBytes(signature);
  if (rs.length !== 64) return undefined;
  const digest = sha256(toUtf8Bytes(`${header}.${payload}`));
  const r = `0x${bytesToHex(rs.subarray(0, 32))}`;
  const s = `0x${bytesToHex(rs.subarray(32))}`;
  for (const yParity of [0, 1] as const) {
    try {
      const candidate = SigningKey.recoverPublicKey(digest, Signature.from({ r, s, yParity }));
      if (computeAddress(candidate) === getAddress(address)) return secp256k1Jwk(candidate);
    } catch {
      // no point for this parity (or a non-canonical signature): try the other
    }
  }
  return undefined;
}
