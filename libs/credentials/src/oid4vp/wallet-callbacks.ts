import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2';
import type { Resolvable } from 'did-resolver';
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import { base64urlToBytes } from '../bytes.js';
import { verifyEs256kByAddress } from '../formats/sd-jwt-vc/ethereum-signature.js';
import { generateRandom, hashCallback } from '../oid4vci/library.js';

/**
 * The callbacks `@openid4vc/openid4vp` needs on the wallet's side: hashing, randomness, checking a request
 * object signed by a did:ethr against the chain, and encrypting a `direct_post.jwt` response. Browser-safe
 * (the web wallet uses them as the CLI does); the verifier's signing and decryption are added in callbacks.ts.
 */

/** JWE algorithms of `direct_post.jwt` responses (OpenID4VP 1.0 §8.3, HAIP: ECDH-ES with AES-GCM). */
export const RESPONSE_ENCRYPTION = { alg: 'ECDH-ES', encValues: ['A128GCM', 'A256GCM'] } as const;

export interface WalletCallbackOptions {
  /** Resolves did:ethr signers of request objects against the chain. */
  resolver?: Resolvable;
  fetch?: CallbackContext['fetch'];
}

/** The wallet's callbacks; signing and decrypting are the verifier's and refuse here. */
export function walletCallbacks(options: WalletCallbackOptions): Omit<CallbackContext, 'clientAuthentication'> {
  return {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    hash: hashCallback,
    generateRandom,
    signJwt: async () => {
      throw new Error('a wallet signs its presentations itself, not through the library');
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
    decryptJwe: async () => ({ decrypted: false }),
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
  return verifyEs256kByAddress(address, compact.slice(0, dot), base64urlToBytes(compact.slice(dot + 1)));
}
