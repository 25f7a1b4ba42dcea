import { createPublicKey, verify } from 'node:crypto';
import type { Jwk, JwtSigner, VerifyJwtCallback } from '@openid4vc/oauth2';
import type { Resolvable } from 'did-resolver';
import { HOLDER_CURVES, holderJwk } from '../formats/sd-jwt-vc/index.js';
import { OID4VCI_JWK_PROOF_ALGS } from './metadata.js';
import { didProofVerifier } from './proof-verifier.js';

/** JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4): never in a proof. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Why `jwk` cannot be a holder key (`cnf.jwk`), or undefined when it is a public P-256 / secp256k1 EC key on
 * its curve with no private members. Never throws.
 */
export function holderKeyProblem(jwk: unknown): string | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'the jwk must be a JSON object';
  if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) return 'the jwk carries private key material';
  return holderJwk(jwk) ? undefined : 'the jwk is not a P-256 or secp256k1 public key on its curve';
}

/**
 * Why a `jwk` key-proof header is unacceptable (OID4VCI 1.0 §8.2.1.1, Appendix F.1), or undefined when it is
 * a public P-256 / secp256k1 EC key whose curve is the one `alg` signs with. Never throws.
 */
export function jwkProofProblem(alg: unknown, jwk: unknown): string | undefined {
  if (typeof alg !== 'string' || !OID4VCI_JWK_PROOF_ALGS.includes(alg)) return `alg must be one of ${OID4VCI_JWK_PROOF_ALGS.join(', ')}`;
  const problem = holderKeyProblem(jwk);
  if (problem) return problem;
  const { crv } = jwk as { crv: string };
  return HOLDER_CURVES[crv] === alg ? undefined : `alg ${alg} does not match the key's curve ${crv}`;
}

/**
 * The library's `verifyJwt` callback for `jwk`-identified key proofs: the checks of {@link jwkProofProblem},
 * then the ES256 / ES256K signature (r‖s over SHA-256, RFC 7518 §3.4, RFC 8812) with node:crypto.
 */
export const jwkProofVerifier: VerifyJwtCallback = async (signer: JwtSigner, jwt) => {
  if (signer.method !== 'jwk' || signer.alg !== jwt.header.alg || jwkProofProblem(jwt.header.alg, signer.publicJwk)) return { verified: false };
  const publicJwk = holderJwk(signer.publicJwk)!;
  const lastDot = jwt.compact.lastIndexOf('.');
  const signature = Buffer.from(jwt.compact.slice(lastDot + 1), 'base64url');
  if (signature.length !== 64) return { verified: false };
  try {
    const key = createPublicKey({ key: { ...publicJwk }, format: 'jwk' });
    const ok = verify('sha256', Buffer.from(jwt.compact.slice(0, lastDot), 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
    return ok ? { verified: true, signerJwk: publicJwk as Jwk } : { verified: false };
  } catch {
    return { verified: false };
  }
};

/** Key proofs by did:ethr `kid` (for `jwt_vc_json`) or by `jwk` (for `dc+sd-jwt`); which one a configuration needs is checked after. */
export function holderProofVerifier(resolver: Resolvable): VerifyJwtCallback {
  const byDid = didProofVerifier(resolver);
  return (signer, jwt) => (signer.method === 'jwk' ? jwkProofVerifier(signer, jwt) : byDid(signer, jwt));
}
