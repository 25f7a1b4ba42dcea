import { createHash, createPrivateKey, randomBytes, sign, type JsonWebKey } from 'node:crypto';
import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2';
import type { Resolvable } from 'did-resolver';
import { computeAddress, SigningKey } from 'ethers';
import { CompactEncrypt, compactDecrypt, importJWK, type JWK } from 'jose';
import { verifyEs256kByAddress } from '../formats/sd-jwt-vc/keys.js';

/**
 * The callbacks `@openid4vc/openid4vp` needs (hashing, randomness, JWS and JWE), for the verifier and the
 * wallet alike. Keys of did:ethr are secp256k1 (ES256K, which `jose` lacks): signatures go through
 * node:crypto, and a did:ethr signer is checked against the chain with the project's DID resolver.
 */

/** JWE algorithms of `direct_post.jwt` responses (OpenID4VP 1.0 §8.3, HAIP: ECDH-ES with AES-GCM). */
export const RESPONSE_ENCRYPTION = { alg: 'ECDH-ES', encValues: ['A128GCM', 'A256GCM'] } as const;

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
    ...(options.fetch ? { fetch: options.fetch } : {}),
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    generateRandom: (bytes) => new Uint8Array(randomBytes(bytes)),
    signJwt: async (signer: JwtSigner, jwt) => {
      if (!options.signingKeyHex || signer.method !== 'did') throw new Error('this party signs only with its did:ethr key');
      const { d: _d, ...publicJwk } = secp256k1PrivateJwk(options.signingKeyHex);
      return { jwt: signEs256k(options.signingKeyHex, jwt.header, jwt.payload), signerJwk: publicJwk as Jwk };
    },
    verifyJwt: async (signer: JwtSigner, jwt) => {
      // Only a did signer is accepted: the client identifier prefix is decentralized_identifier.
      if (signer.method !== 'did' || !options.resolver || jwt.header.alg !== 'ES256K') return { verified: false };
      const ok = await verifyByDidEthr(options.resolver, signer.didUrl, jwt.compact).catch(() => false);
      return ok ? { verified: true, signerJwk: { kty: 'EC', crv: 'secp256k1' } as Jwk } : { verified: false };
    },
    encryptJwe: async (encryptor, data) => {
      const jwk = encryptor.publicJwk as JWK;
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader({ alg: RESPONSE_ENCRYPTION.alg, enc: encryptor.enc, ...(jwk.kid ? { kid: jwk.kid } : {}), ...(encryptor.apu ? { apu: encryptor.apu } : {}), ...(encryptor.apv ? { apv: encryptor.apv } : {}) })
        .encrypt(await importJWK(jwk, RESPONSE_ENCRYPTION.alg));
      return { jwe, encryptionJwk: encryptor.publicJwk };
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

/**
 * Whether `compact` (ES256K) was signed by the verification method `didUrl` of a did:ethr, as the chain has
 * it now: the method must be one of the document's assertion methods, and an address-form method
 * (`blockchainAccountId`, ERC-1056's controller) is checked by public key recovery. Request objects carry no
 * `iss` (OID4VP 1.0 §5), so did-jwt, which resolves `iss`, is not used here.
 */
async function verifyByDidEthr(resolver: Resolvable, didUrl: string, compact: string): Promise<boolean> {
  const did = didUrl.split('#')[0]!;
  const { didDocument } = await resolver.resolve(did);
  const method = didDocument?.verificationMethod?.find((m) => m.id === didUrl);
  const asserts = didDocument?.assertionMethod?.some((m) => (typeof m === 'string' ? m : m.id) === didUrl);
  const address = method?.blockchainAccountId?.split(':').pop();
  if (!method || !asserts || !address) return false;
  const dot = compact.lastIndexOf('.');
  return verifyEs256kByAddress(address, compact.slice(0, dot), Buffer.from(compact.slice(dot + 1), 'base64url'));
}
