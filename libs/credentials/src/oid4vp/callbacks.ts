import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2';
import type { Resolvable } from 'did-resolver';
import { computeAddress, SigningKey } from 'ethers';
import { compactDecrypt, importJWK, type JWK } from 'jose';
import { RESPONSE_ENCRYPTION, walletCallbacks } from './wallet-callbacks.js';

export { RESPONSE_ENCRYPTION } from './wallet-callbacks.js';

/**
 * The callbacks `@openid4vc/openid4vp` needs (hashing, randomness, JWS and JWE), for the verifier and the
 * wallet alike: the wallet's (browser-safe, wallet-callbacks.ts) plus the verifier's signing of request objects
 * and decryption of responses. Keys of did:ethr are secp256k1 (ES256K, which `jose` lacks): signatures go
 * through node:crypto.
 */

/** A secp256k1 private key (hex) as the JWK node:crypto signs with. */
export function secp256k1PrivateJwk(privateKeyHex: string): JsonWebKey {
  const key = new SigningKey(privateKeyHex.startsWith('0x') ? privateKeyHex : `0x${privateKeyHex}`);
  const uncompressed = Buffer.from(key.publicKey.slice(4), 'hex');
  const b64 = (bytes: Buffer) => bytes.toString('base64url');
  return { kty: 'EC', crv: 'secp256k1', x: b64(uncompressed.subarray(0, 32)), y: b64(uncompressed.subarray(32)), d: b64(Buffer.from(key.privateKey.slice(2), 'hex')) };
}

/** The Ethereum address of a secp256k1 private key (hex): the identity of its did:ethr. */
export function addressOfKey(privateKeyHex: string): string {
  return computeAddress(privateKeyHex.startsWith('0x') ? privateKeyHex : `0x${privateKeyHex}`);
}

/** Signs a JWT with ES256K (secp256k1, RFC 8812), raw r||s signature. */
export function signEs256k(privateKeyHex: string, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  const key = createPrivateKey({ key: secp256k1PrivateJwk(privateKeyHex), format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export interface Oid4vpCallbackOptions {
  /** Resolves did:ethr signers of request objects (the wallet) against the chain. */
  resolver?: Resolvable;
  /** The verifier's did:ethr key (hex), to sign request objects. */
  signingKeyHex?: string;
  /** The private key (JWK) `direct_post.jwt` responses are encrypted to (the verifier, one per request). */
  decryptionJwk?: JsonWebKey;
  fetch?: CallbackContext['fetch'];
}

/** The callbacks of {@link Oid4vpCallbackOptions}; those whose key is not given throw when called. */
export function oid4vpCallbacks(options: Oid4vpCallbackOptions): Omit<CallbackContext, 'clientAuthentication'> {
  return {
    ...walletCallbacks(options),
    signJwt: async (signer: JwtSigner, jwt) => {
      if (!options.signingKeyHex || signer.method !== 'did') throw new Error('this party signs only with its did:ethr key');
      const { d: _d, ...publicJwk } = secp256k1PrivateJwk(options.signingKeyHex);
      return { jwt: signEs256k(options.signingKeyHex, jwt.header, jwt.payload), signerJwk: publicJwk as Jwk };
    },
    decryptJwe: async (jwe) => {
      if (!options.decryptionJwk) return { decrypted: false };
      try {
        const { d: _d, ...publicJwk } = options.decryptionJwk;
        const { plaintext } = await compactDecrypt(jwe, await importJWK(options.decryptionJwk as JWK, RESPONSE_ENCRYPTION.alg), {
          keyManagementAlgorithms: [RESPONSE_ENCRYPTION.alg],
          contentEncryptionAlgorithms: [...RESPONSE_ENCRYPTION.encValues],
        });
        return { decrypted: true, decryptionJwk: publicJwk as Jwk, payload: new TextDecoder().decode(plaintext) };
      } catch {
        return { decrypted: false };
      }
    },
  };
}
