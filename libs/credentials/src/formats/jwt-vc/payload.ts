import { isBrokenEthrDid, parseEthrDid } from '../../did/ethr-did.js';
import type { DecodedJwt } from '../../verification/jwt.js';

/** The parts of a VC-JWT payload (VCDM 1.1 §6.3.1) the pipeline works with, after shape checks. */
export interface CredentialPayloadView {
  issuer: string;
  subject: string;
  typeName: string;
  /** Unix seconds: issuance (JWT `nbf`). */
  notBefore: number;
  /** Unix seconds (JWT `exp`), if the credential expires. */
  expires?: number;
  id?: string;
  claims: Record<string, unknown>;
  credentialSchema: unknown;
  credentialStatus: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The base context every VCDM 1.1 credential and presentation names first or among others (§4.1). */
export const VCDM_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

/** Whether `value` is `entry` or an array holding it. */
export function hasEntry(value: unknown, entry: string): boolean {
  return value === entry || (Array.isArray(value) && value.includes(entry));
}

/**
 * The VCDM 1.1 basics of a `vc` or `vp` claim, or why they fail: the base context (§4.1) and the base type
 * (§4.3). The same checks as did-jwt-vc's validators, written without the pattern they also run.
 */
export function vcdmProblem(claim: Record<string, unknown>, baseType: 'VerifiableCredential' | 'VerifiablePresentation'): string | undefined {
  if (!hasEntry(claim['@context'], VCDM_V1_CONTEXT)) return `@context is missing default context "${VCDM_V1_CONTEXT}"`;
  if (!hasEntry(claim.type, baseType)) return `type is missing default "${baseType}"`;
  return undefined;
}

/**
 * A JWT time in seconds. Like did-jwt-vc, twelve digits or more are refused: that is a time in milliseconds
 * (from `Date.now()`), a common issuer mistake, not a date in the year 5138.
 */
const isSeconds = (v: unknown): v is number => isTime(v) && v < 100_000_000_000;

/**
 * Reads a decoded VC-JWT payload in govcred's format; never throws. First the VCDM basics (context,
 * `VerifiableCredential` type, a subject, times in seconds: what did-jwt-vc's validator checks), then
 * govcred's format (one type besides `VerifiableCredential`, `nbf` = issuance, subject bound to `sub`).
 */
export function readCredentialPayload(
  decoded: DecodedJwt,
): { ok: true; view: CredentialPayloadView } | { ok: false; code: 'credential_malformed' | 'did_invalid'; message: string; path?: string } {
  const { payload } = decoded;
  const vc = payload.vc;
  if (!isObject(vc)) return { ok: false, code: 'credential_malformed', message: 'the JWT has no `vc` claim' };
  const result = readVc(payload, vc);
  if ('message' in result) return { ok: false, code: 'credential_malformed', message: result.message };
  // A subject that is a broken did:ethr (e.g. a wrong EIP-55 checksum) can never be presented: say so now.
  const subject = parseEthrDid(result.view.subject);
  if (!subject.ok && isBrokenEthrDid(subject.reason)) {
    return { ok: false, code: 'did_invalid', message: `the subject DID is broken: ${subject.message}`, path: 'credentialSubject.id' };
  }
  return { ok: true, view: result.view };
}

function readVc(payload: Record<string, unknown>, vc: Record<string, unknown>): { view: CredentialPayloadView } | { message: string } {
  const vcdm = vcdmProblem(vc, 'VerifiableCredential');
  if (vcdm) return { message: vcdm };
  const subjectClaims = vc.credentialSubject;
  if (!isObject(subjectClaims) || Object.keys(subjectClaims).length === 0) return { message: 'credentialSubject must be one non-empty object' };
  for (const key of ['nbf', 'exp'] as const) {
    if (payload[key] && !isSeconds(payload[key])) return { message: `\`${key}\` is not a unix timestamp in seconds` };
  }
  if (typeof payload.iss !== 'string') return { message: '`iss` is missing' };
  const vcIssuer = isObject(vc.issuer) ? vc.issuer.id : vc.issuer;
  if (vcIssuer !== undefined && vcIssuer !== payload.iss) return { message: '`vc.issuer` differs from `iss`' };
  const types = Array.isArray(vc.type) ? vc.type : [];
  const others = types.filter((t): t is string => typeof t === 'string' && t !== 'VerifiableCredential');
  if (others.length !== 1 || types.length !== 2) return { message: 'a govcred credential has exactly one type besides VerifiableCredential' };
  const subject = typeof payload.sub === 'string' ? payload.sub : subjectClaims.id;
  if (typeof subject !== 'string') return { message: 'the credential names no subject' };
  if (subjectClaims.id !== undefined && subjectClaims.id !== subject) return { message: '`credentialSubject.id` differs from `sub`' };
  if (!isTime(payload.nbf)) return { message: '`nbf` (issuance time) is missing' };
  if (payload.exp !== undefined && !isTime(payload.exp)) return { message: '`exp` is not a time' };
  if (payload.jti !== undefined && typeof payload.jti !== 'string') return { message: '`jti` is not a string' };
  const { id: _id, ...claims } = subjectClaims;
  return {
    view: {
      issuer: payload.iss,
      subject,
      typeName: others[0],
      notBefore: payload.nbf,
      ...(payload.exp !== undefined ? { expires: payload.exp as number } : {}),
      ...(typeof payload.jti === 'string' ? { id: payload.jti } : typeof vc.id === 'string' ? { id: vc.id } : {}),
      claims,
      credentialSchema: vc.credentialSchema,
      credentialStatus: vc.credentialStatus,
    },
  };
}

/** The JWT of a credential or presentation given as a compact string or as `{proof: {jwt}}` (Veramo's form). */
export function jwtOf(input: unknown): unknown {
  if (isObject(input) && isObject(input.proof) && typeof input.proof.jwt === 'string') return input.proof.jwt;
  return input;
}
