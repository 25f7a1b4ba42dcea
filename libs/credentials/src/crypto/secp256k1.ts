import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { computeAddress, hexlify } from 'ethers';

/**
 * ES256K (ECDSA on secp256k1 over SHA-256, RFC 8812) with libsecp256k1, the library Bitcoin Core and Ethereum
 * clients sign with, through the `secp256k1` package's N-API binding (prebuilt for linux-x64, darwin-arm64 and
 * win32-x64). Measured on this project's 2-core machines: a signature in ~0.05 ms and a check in ~0.055 ms,
 * against ~0.34 ms for noble (did-jwt's ES256KSigner) and ~0.29 ms for an OpenSSL check (node:crypto). Signing
 * and checking are most of an issuance's and a verification's CPU.
 *
 * Node-only (a native addon): the web pages never import it. Where the binding cannot load (a platform without
 * a prebuilt binary and without a compiler), the package's own pure-JS fallback (elliptic) is used, with the same
 * results; {@link nativeSecp256k1} tells which one runs (the benchmark prints it).
 */
interface Secp256k1 {
  ecdsaSign(message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed?: boolean): Uint8Array;
  signatureNormalize(signature: Uint8Array): Uint8Array;
  publicKeyVerify(publicKey: Uint8Array): boolean;
  publicKeyConvert(publicKey: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyCreate(privateKey: Uint8Array, compressed?: boolean): Uint8Array;
  privateKeyVerify(privateKey: Uint8Array): boolean;
}

const require = createRequire(import.meta.url);

function load(): { lib: Secp256k1; native: boolean } {
  try {
    return { lib: require('secp256k1/bindings.js') as Secp256k1, native: true };
  } catch {
    return { lib: require('secp256k1/elliptic.js') as Secp256k1, native: false };
  }
}

const { lib, native } = load();

/** Whether libsecp256k1 itself runs (false: the package's pure-JS fallback). */
export const nativeSecp256k1 = native;

function sha256(input: string | Uint8Array): Buffer {
  return createHash('sha256').update(input).digest();
}

/**
 * An ES256K signer for compact JWS: the base64url r‖s signature of `signingInput` (a string is signed as UTF-8,
 * as did-jwt's ES256KSigner does). RFC 6979 deterministic nonces and low s, as noble's: for a key and an input
 * the signature is byte for byte the one did-jwt would make. Throws on a private key that is not one.
 */
export function es256kSigner(privateKey: Uint8Array): (signingInput: string | Uint8Array) => string {
  if (privateKey.length !== 32 || !lib.privateKeyVerify(privateKey)) throw new Error('not a secp256k1 private key');
  // A copy outside Buffer's shared pool, reachable only from this closure.
  const key = Uint8Array.from(privateKey);
  return (signingInput) => Buffer.from(lib.ecdsaSign(sha256(signingInput), key).signature).toString('base64url');
}

/** A public key (33-byte compressed or 65-byte uncompressed point) as an uncompressed point; undefined when not on the curve. */
export function secp256k1Point(publicKey: Uint8Array): Uint8Array | undefined {
  if ((publicKey.length !== 33 && publicKey.length !== 65) || !lib.publicKeyVerify(publicKey)) return undefined;
  return publicKey.length === 65 ? Uint8Array.from(publicKey) : lib.publicKeyConvert(publicKey, false);
}

/**
 * Whether the 64-byte r‖s `signature` of `signingInput` (UTF-8) verifies under `point` (see {@link secp256k1Point}).
 * A high-s signature is accepted, as did-jwt accepts it (it normalises s first). Never throws.
 */
export function es256kVerify(point: Uint8Array, signingInput: string | Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return lib.ecdsaVerify(lib.signatureNormalize(Uint8Array.from(signature)), sha256(signingInput), point);
  } catch {
    // r or s zero or not below the group order, or a point that is not one
    return false;
  }
}

/**
 * The uncompressed points that could have made `signature` over `signingInput` (recovery ids 0 and 1: ids 2 and
 * 3 need r ≥ n, probability ~2^-128). An Ethereum address is then matched against each. Never throws.
 */
export function es256kRecoverCandidates(signingInput: string | Uint8Array, signature: Uint8Array): Uint8Array[] {
  if (signature.length !== 64) return [];
  const digest = sha256(signingInput);
  const candidates: Uint8Array[] = [];
  let normalized: Uint8Array;
  try {
    normalized = lib.signatureNormalize(Uint8Array.from(signature));
  } catch {
    return [];
  }
  for (const recid of [0, 1]) {
    try {
      candidates.push(lib.ecdsaRecover(normalized, recid, digest, false));
    } catch {
      // no point with this recovery id
    }
  }
  return candidates;
}

/**
 * The uncompressed point of the key of Ethereum `address` (0x…, any case) that made `signature` over
 * `signingInput`, found by recovery; undefined when no candidate is that address's key. Never throws.
 */
export function es256kRecoverKeyOf(address: string, signingInput: string | Uint8Array, signature: Uint8Array): Uint8Array | undefined {
  const wanted = address.toLowerCase();
  return es256kRecoverCandidates(signingInput, signature).find((point) => computeAddress(hexlify(point)).toLowerCase() === wanted);
}
