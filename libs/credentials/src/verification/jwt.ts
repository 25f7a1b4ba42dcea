import { verifyJWT } from 'did-jwt';
import type { DIDResolutionOptions, DIDResolutionResult, Resolvable } from 'did-resolver';
import { resolveOnce, type NativeSignatureVerifier } from './native-signature.js';

/**
 * JWS algorithms a govcred verifier accepts (did:ethr keys: secp256k1, plus Ed25519 keys a DID may list).
 * Checked before any key lookup or signature work: `none` and every HMAC algorithm (HS256 with a public key
 * as the "secret" is the classic confusion attack) never reach a verifier.
 */
export const ALLOWED_JWT_ALGS: readonly string[] = ['ES256K', 'ES256K-R', 'EdDSA'];

/** A JWT split and parsed, not yet trusted. */
export interface DecodedJwt {
  jwt: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Why a JWT could not be used before its signature was even looked at. */
export type DecodeFailure = { ok: false; code: 'jwt_malformed' | 'alg_not_allowed'; message: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function parseSection(section: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(section)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(section, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a compact JWS and parses its header and payload; rejects algorithms outside {@link ALLOWED_JWT_ALGS}.
 * Hand-written rather than did-jwt's `decodeJWT` because that one recurses into nested JWTs and throws; this
 * one never throws and never follows anything.
 */
export function decodeJwt(input: unknown): { ok: true; decoded: DecodedJwt } | DecodeFailure {
  if (typeof input !== 'string') return { ok: false, code: 'jwt_malformed', message: 'expected a compact JWT string' };
  const parts = input.split('.');
  if (parts.length !== 3) return { ok: false, code: 'jwt_malformed', message: 'a JWT has three dot-separated parts' };
  const header = parseSection(parts[0]);
  const payload = parseSection(parts[1]);
  if (!header || !payload) return { ok: false, code: 'jwt_malformed', message: 'JWT header or payload is not base64url JSON' };
  if (typeof header.alg !== 'string' || !ALLOWED_JWT_ALGS.includes(header.alg)) {
    return {
      ok: false,
      code: 'alg_not_allowed',
      message: `JWT algorithm ${JSON.stringify(header.alg)} is not allowed (allowed: ${ALLOWED_JWT_ALGS.join(', ')})`,
    };
  }
  if (!BASE64URL.test(parts[2]) || parts[2].length === 0) return { ok: false, code: 'jwt_malformed', message: 'JWT signature is missing' };
  return { ok: true, decoded: { jwt: input, header, payload } };
}

/** Outcome of a signature check. */
export type SignatureOutcome =
  | { ok: true; signer: string }
  | { ok: false; reason: 'did_unresolvable' | 'signature_invalid'; message: string };

/**
 * A resolver that answers for `did` with its DID document as of `block` (ethr-did-resolver's `?versionId=`),
 * and for every other DID as `resolver` does.
 */
export function pinnedResolver(resolver: Resolvable, did: string, block: number): Resolvable {
  return {
    resolve(didUrl: string, options?: DIDResolutionOptions): Promise<DIDResolutionResult> {
      return resolver.resolve(didUrl === did ? `${did}?versionId=${block}` : didUrl, options);
    },
  };
}

/**
 * Verifies a JWT's signature against its `iss` DID's keys with did-jwt, nothing else: time claims and
 * audience are checked by the pipeline with its own clock, so each failure gets its own code. Never throws.
 */
export async function verifyJwtSignature(
  jwt: string,
  resolver: Resolvable,
  proofPurpose: 'assertionMethod' | 'authentication',
  native?: { verifier: NativeSignatureVerifier; decoded: DecodedJwt },
): Promise<SignatureOutcome> {
  let didJwtResolver = resolver;
  const iss = native?.decoded.payload.iss;
  if (native && typeof iss === 'string' && !/[#?/]/.test(iss) && native.decoded.header.alg === 'ES256K') {
    // One resolution serves the native check and, when it cannot accept, did-jwt.
    const once = resolveOnce(resolver, iss);
    didJwtResolver = once.resolver;
    try {
      const signer = native.verifier.verify(jwt, native.decoded.header, await once.resolution, proofPurpose);
      if (signer) return { ok: true, signer };
    } catch {
      // did-jwt meets the same failure below and words it.
    }
  }
  try {
    // A fresh options object per call: did-jwt caches the resolved authenticator in it.
    const verified = await verifyJWT(jwt, {
      resolver: didJwtResolver,
      proofPurpose,
      policies: { nbf: false, iat: false, exp: false, aud: false },
    });
    native?.verifier.learn(jwt, verified.signer);
    return { ok: true, signer: verified.signer.id };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^(invalid_signature|no_suitable_keys|not_supported)/.test(message)) {
      return { ok: false, reason: 'signature_invalid', message: 'the signature does not match any key of the signer DID' };
    }
    // resolver_error, unknown network, RPC failure: the signer's keys could not be established.
    // Only did-jwt's own resolver message is passed on: an RPC error could name internal endpoints.
    const detail = /^resolver_error: (.{0,200})/.exec(message)?.[1] ?? 'the chain could not be read';
    return { ok: false, reason: 'did_unresolvable', message: `the signer DID could not be resolved: ${detail}` };
  }
}
