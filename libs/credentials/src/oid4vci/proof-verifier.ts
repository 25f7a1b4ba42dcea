import type { Jwk, JwtSigner, VerifyJwtCallback } from '@openid4vc/oauth2';
import { verifyJWS } from 'did-jwt';
import type { DIDDocument, Resolvable, VerificationMethod } from 'did-resolver';
import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import { OID4VCI_PROOF_ALG } from './metadata.js';
import { recoverSecp256k1Jwk, secp256k1Jwk } from './secp256k1-jwk.js';

/** Thrown inside verification when the holder's DID could not be resolved for reasons on the issuer's side. */
export class DidResolutionUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('DID resolution unavailable', options);
    this.name = 'DidResolutionUnavailableError';
  }
}

/**
 * The library's `verifyJwt` callback for holder proofs (OID4VCI 1.0 Appendix F.1): only `kid`-identified DID
 * keys, only ES256K. The key is the verification method `kid` names in the holder's DID document, and it
 * must be listed under `authentication` (proving control of the DID is an authentication purpose). did-jwt
 * checks the signature (it knows did:ethr's address-only `EcdsaSecp256k1RecoveryMethod2020`). Never throws
 * on bad input: `{verified: false}` becomes the library's `invalid_proof`.
 */
export function didProofVerifier(resolver: Resolvable): VerifyJwtCallback {
  return async (signer: JwtSigner, jwt) => {
    if (signer.method !== 'did' || signer.alg !== OID4VCI_PROOF_ALG || jwt.header.alg !== OID4VCI_PROOF_ALG) return { verified: false };
    const hash = signer.didUrl.indexOf('#');
    if (hash <= 0 || hash === signer.didUrl.length - 1) return { verified: false };
    const did = signer.didUrl.slice(0, hash);
    // ethr-did-resolver throws on a broken did:ethr (e.g. a wrong checksum), which would read as an outage.
    const parsed = parseEthrDid(did);
    if (!parsed.ok && isBrokenEthrDid(parsed.reason)) return { verified: false };
    const document = await resolve(resolver, did);
    const method = document && authenticationMethod(document, signer.didUrl);
    if (!method) return { verified: false };
    try {
      verifyJWS(jwt.compact, method);
    } catch {
      return { verified: false };
    }
    const signerJwk = publicJwk(jwt.compact, method);
    return signerJwk ? { verified: true, signerJwk } : { verified: false };
  };
}

/** The DID document, undefined when the DID does not resolve; throws when resolution itself failed. */
async function resolve(resolver: Resolvable, did: string): Promise<DIDDocument | undefined> {
  let result;
  try {
    result = await resolver.resolve(did);
  } catch (cause) {
    throw new DidResolutionUnavailableError({ cause });
  }
  return result.didResolutionMetadata?.error ? undefined : (result.didDocument ?? undefined);
}

function authenticationMethod(document: DIDDocument, didUrl: string): VerificationMethod | undefined {
  const absolute = (id: string) => (id.startsWith('#') ? `${document.id}${id}` : id);
  const authenticates = (document.authentication ?? []).some((entry) => absolute(typeof entry === 'string' ? entry : entry.id) === didUrl);
  if (!authenticates) return undefined;
  const all = [...(document.verificationMethod ?? []), ...(document.authentication ?? []).filter((e): e is VerificationMethod => typeof e !== 'string')];
  return all.find((method) => absolute(method.id) === didUrl);
}

/** The signer's public key as a JWK, which the library reports back (and would compare against key attestations). */
function publicJwk(compact: string, method: VerificationMethod): Jwk | undefined {
  if (method.publicKeyHex) return secp256k1Jwk(method.publicKeyHex);
  const address = (method.blockchainAccountId ?? method.ethereumAddress)?.split(':').pop();
  return address ? recoverSecp256k1Jwk(compact, address) : undefined;
}
