import { verifyJWT } from 'did-jwt';
import type { DIDResolutionOptions, DIDResolutionResult, Resolvable } from 'did-resolver';
import { JWT_LIMITS, checkJsonShape, quoted } from './limits.js';
import { resolveOnce, type NativeSignatureVerifier } from './native-signature.js';

/**
 * JWS algorithms a govcred verifier accepts (did:ethr keys: secp256k1, plus Ed25519 keys a DID may list).
 * Checked before any key lookup or signature work: `none` and every HMAC algorithm (HS256 with a public key
 * as the "secret" is the classic confusion attack) never reach a verifier.
 */
export const ALLOWED_JWT_ALGS: readonly string[] = ['ES256K', 'ES256K-R', 'EdDSA'];

/**
 * JWS header parameters this verifier understands when a JWS lists them in `crit` (RFC 7515 §4.1.11).
 * None today: a JWS that makes any extension critical is refused.
 */
export const UNDERSTOOD_CRIT_PARAMETERS: readonly string[] = [];

/** A JWT split and parsed, not yet trusted. */
export interface DecodedJwt {
  jwt: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Why a JWT could not be used before its signature was even looked at. */
export type DecodeFailure = {
  ok: false;
  code: 'jwt_malformed' | 'alg_not_allowed' | 'jwt_too_large' | 'jwt_too_deep' | 'jwt_crit_unsupported';
  message: string;
};

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function parseSection(section: string, what: string): { ok: true; value: Record<string, unknown> } | DecodeFailure {
  const malformed: DecodeFailure = { ok: false, code: 'jwt_malformed', message: `the JWT ${what} is not base64url JSON` };
  if (!BASE64URL.test(section)) return malformed;
  const text = Buffer.from(section, 'base64url').toString('utf8');
  const shape = checkJsonShape(text);
  if (!shape.ok) return { ok: false, code: shape.reason === 'too_deep' ? 'jwt_too_deep' : 'jwt_too_large', message: `the JWT ${what} is ${shape.message}` };
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, value: value as Record<string, unknown> } : malformed;
  } catch {
    return malformed;
  }
}

/**
 * RFC 7515 §4.1.11: `crit` is a non-empty array of names of header parameters that are present, and the
 * recipient must refuse the JWS unless it understands every one of them.
 */
function critProblem(header: Record<string, unknown>): DecodeFailure | undefined {
  if (!Object.hasOwn(header, 'crit')) return undefined;
  const crit = header.crit;
  if (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string' && name.length > 0)) {
    return { ok: false, code: 'jwt_malformed', message: '`crit` must be a non-empty array of header parameter names' };
  }
  const unknown = (crit as string[]).filter((name) => !UNDERSTOOD_CRIT_PARAMETERS.includes(name) || !Object.hasOwn(header, name));
  if (unknown.length === 0) return undefined;
  return {
    ok: false,
    code: 'jwt_crit_unsupported',
    message: `the JWT marks as critical what this verifier does not understand: ${unknown.slice(0, 5).map((n) => quoted(n, 40)).join(', ')}`,
  };
}

/**
 * Splits a compact JWS and parses its header and payload; rejects algorithms outside {@link ALLOWED_JWT_ALGS}
 * and any critical extension (`crit`) not in {@link UNDERSTOOD_CRIT_PARAMETERS}. Sizes are checked first: the
 * string's length, then each section's nesting and number of values ({@link JWT_LIMITS}), all in linear time,
 * before any JSON is parsed. Hand-written rather than did-jwt's `decodeJWT` because that one recurses into
 * nested JWTs and throws; this one never throws and never follows anything.
 * @param maxLength Longest JWT accepted. @default JWT_LIMITS.credentialJwtLength
 */
export function decodeJwt(
  input: unknown,
  maxLength: number = JWT_LIMITS.credentialJwtLength,
  allowedAlgs: readonly string[] = ALLOWED_JWT_ALGS,
): { ok: true; decoded: DecodedJwt } | DecodeFailure {
  if (typeof input !== 'string') return { ok: false, code: 'jwt_malformed', message: 'expected a compact JWT string' };
  if (input.length > maxLength) return { ok: false, code: 'jwt_too_large', message: `the JWT is longer than ${maxLength} characters` };
  const first = input.indexOf('.');
  const second = first < 0 ? -1 : input.indexOf('.', first + 1);
  if (second < 0 || input.indexOf('.', second + 1) >= 0) return { ok: false, code: 'jwt_malformed', message: 'a JWT has three dot-separated parts' };
  const header = parseSection(input.slice(0, first), 'header');
  if (!header.ok) return header;
  const payload = parseSection(input.slice(first + 1, second), 'payload');
  if (!payload.ok) return payload;
  const alg = header.value.alg;
  if (typeof alg !== 'string' || !allowedAlgs.includes(alg)) {
    return { ok: false, code: 'alg_not_allowed', message: `JWT algorithm ${quoted(alg, 20)} is not allowed (allowed: ${allowedAlgs.join(', ')})` };
  }
  const crit = critProblem(header.value);
  if (crit) return crit;
  const signature = input.slice(second + 1);
  if (signature.length === 0 || !BASE64URL.test(signature)) return { ok: false, code: 'jwt_malformed', message: 'JWT signature is missing' };
  return { ok: true, decoded: { jwt: input, header: header.value, payload: payload.value } };
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

/** Length of a JOSE signature by algorithm (RFC 7518 §3.4: R‖S; ES256K-R adds the recovery byte; RFC 8037 §3.1). */
const SIGNATURE_BYTES: Record<string, number> = { ES256K: 64, 'ES256K-R': 65, EdDSA: 64 };

/**
 * Verifies a JWT's signature against its `iss` DID's keys with did-jwt, nothing else: time claims and
 * audience are checked by the pipeline with its own clock, so each failure gets its own code. Never throws.
 *
 * `did_unresolvable` means only that the signer's keys could not be established: the resolver failed or
 * answered without a document. Once a document is in hand, whatever goes wrong is the signature's (wrong
 * length, not a curve point, another key): retrying would not help, and the answer must not suggest it would.
 */
export async function verifyJwtSignature(
  decoded: DecodedJwt,
  resolver: Resolvable,
  proofPurpose: 'assertionMethod' | 'authentication',
  native?: NativeSignatureVerifier,
): Promise<SignatureOutcome> {
  const { jwt, header, payload } = decoded;
  const invalid = (message: string): SignatureOutcome => ({ ok: false, reason: 'signature_invalid', message });
  const signatureBytes = Buffer.from(jwt.slice(jwt.lastIndexOf('.') + 1), 'base64url').length;
  const expected = SIGNATURE_BYTES[String(header.alg)];
  if (signatureBytes !== expected) return invalid(`a ${String(header.alg)} signature has ${expected} bytes, not ${signatureBytes}`);
  if (typeof payload.iss !== 'string') return invalid('the JWT names no signer (`iss`)');

  // One resolution serves the native check and did-jwt.
  const once = resolveOnce(resolver, payload.iss);
  let resolution: DIDResolutionResult;
  try {
    resolution = await once.resolution;
  } catch {
    // RPC failure or timeout. Its message is not passed on: it could name internal endpoints.
    return { ok: false, reason: 'did_unresolvable', message: 'the signer DID could not be resolved: the chain could not be read' };
  }
  const error = resolution.didResolutionMetadata?.error;
  if (error || !resolution.didDocument) {
    return { ok: false, reason: 'did_unresolvable', message: `the signer DID could not be resolved (${quoted(error ?? 'no document', 40)})` };
  }
  if (header.kid !== undefined) {
    const restricted = restrictToKid(resolution, header.kid, proofPurpose);
    if (!restricted) return invalid('the key the JWT header names (`kid`) is not a key of the signer DID for this purpose');
    resolution = restricted;
  }
  const signerResolution = resolution;
  if (native && header.alg === 'ES256K') {
    try {
      const signer = native.verify(jwt, header, signerResolution, proofPurpose);
      if (signer) return { ok: true, signer };
    } catch {
      // did-jwt meets the same failure below and judges it.
    }
  }
  let chainFailed = false;
  const watched: Resolvable = {
    resolve: (didUrl, options) =>
      // did-jwt asks for the signer's document again: it gets the one already in hand (restricted to `kid`).
      didUrl === payload.iss && options?.accept === 'application/did+json'
        ? Promise.resolve(structuredClone(signerResolution))
        : once.resolver.resolve(didUrl, options).catch((cause: unknown) => {
            chainFailed = true;
            throw cause;
          }),
  };
  try {
    // A fresh options object per call: did-jwt caches the resolved authenticator in it.
    const verified = await verifyJWT(jwt, {
      resolver: watched,
      proofPurpose,
      policies: { nbf: false, iat: false, exp: false, aud: false },
    });
    native?.learn(jwt, verified.signer);
    return { ok: true, signer: verified.signer.id };
  } catch {
    if (chainFailed) return { ok: false, reason: 'did_unresolvable', message: 'the signer DID could not be resolved: the chain could not be read' };
    return invalid('the signature does not match any key of the signer DID');
  }
}

/**
 * The resolution with the proof purpose narrowed to the one key `kid` names (RFC 7515 §4.1.4), so the signature
 * must verify with THAT key; undefined when `kid` is not a string naming a verification method the document
 * lists for the purpose. did-jwt itself ignores `kid` when the JWT has an `iss`.
 */
function restrictToKid(resolution: DIDResolutionResult, kid: unknown, proofPurpose: 'assertionMethod' | 'authentication'): DIDResolutionResult | undefined {
  const document = resolution.didDocument!;
  if (typeof kid !== 'string') return undefined;
  const listed = (document[proofPurpose] ?? []).some((ref) => (typeof ref === 'string' ? ref : ref.id) === kid);
  const method = (document.verificationMethod ?? []).find((m) => m.id === kid);
  if (!listed || !method) return undefined;
  return { ...resolution, didDocument: { ...document, verificationMethod: [method], [proofPurpose]: [kid] } };
}
