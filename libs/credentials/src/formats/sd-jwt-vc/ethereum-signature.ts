import { Signature, SigningKey, computeAddress, sha256, toUtf8Bytes } from 'ethers';
import { bytesToHex } from '../../bytes.js';
import { checksummedAddress } from '../../chain/address.js';

/** secp256k1 group order, to turn a high-s signature into its low-s twin (ethers refuses high s). */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Whether an ES256K signature was made by the key of `address`: ECDSA public key recovery (ethers) for both
 * parities. A recovered key verifies the signature by construction, so a match with the address is a valid
 * signature — what did-jwt does for address-only did:ethr methods. Browser-safe (the web wallet checks the
 * verifier's signed request with it). Never throws.
 */
export function verifyEs256kByAddress(address: string, signingInput: string, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  let expected: string;
  try {
    expected = checksummedAddress(address);
  } catch {
    return false;
  }
  const digest = sha256(toUtf8Bytes(signingInput));
  const r = BigInt(`0x${bytesToHex(signature.subarray(0, 32))}`);
  let s = BigInt(`0x${bytesToHex(signature.subarray(32))}`);
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
