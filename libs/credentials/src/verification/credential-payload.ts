import { validateJwtCredentialPayload } from 'did-jwt-vc';
import type { DecodedJwt } from './jwt.js';

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

/**
 * Reads a decoded VC-JWT payload in govcred's format; never throws.
 * did-jwt-vc's validator checks the VCDM basics (context, `VerifiableCredential` type, subject); the rest is
 * govcred's format (one type besides `VerifiableCredential`, `nbf` = issuance, subject bound to `sub`).
 */
export function readCredentialPayload(decoded: DecodedJwt): { ok: true; view: CredentialPayloadView } | { ok: false; message: string } {
  const { payload } = decoded;
  const vc = payload.vc;
  if (!isObject(vc)) return { ok: false, message: 'the JWT has no `vc` claim' };
  try {
    validateJwtCredentialPayload(payload as never);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'invalid credential payload' };
  }
  if (typeof payload.iss !== 'string') return { ok: false, message: '`iss` is missing' };
  const vcIssuer = isObject(vc.issuer) ? vc.issuer.id : vc.issuer;
  if (vcIssuer !== undefined && vcIssuer !== payload.iss) return { ok: false, message: '`vc.issuer` differs from `iss`' };
  const types = Array.isArray(vc.type) ? vc.type : [];
  const others = types.filter((t): t is string => typeof t === 'string' && t !== 'VerifiableCredential');
  if (others.length !== 1 || types.length !== 2) return { ok: false, message: 'a govcred credential has exactly one type besides VerifiableCredential' };
  const subjectClaims = vc.credentialSubject;
  if (!isObject(subjectClaims)) return { ok: false, message: '`credentialSubject` must be one object' };
  const subject = typeof payload.sub === 'string' ? payload.sub : subjectClaims.id;
  if (typeof subject !== 'string') return { ok: false, message: 'the credential names no subject' };
  if (subjectClaims.id !== undefined && subjectClaims.id !== subject) return { ok: false, message: '`credentialSubject.id` differs from `sub`' };
  if (!isTime(payload.nbf)) return { ok: false, message: '`nbf` (issuance time) is missing' };
  if (payload.exp !== undefined && !isTime(payload.exp)) return { ok: false, message: '`exp` is not a time' };
  if (payload.jti !== undefined && typeof payload.jti !== 'string') return { ok: false, message: '`jti` is not a string' };
  const { id: _id, ...claims } = subjectClaims;
  return {
    ok: true,
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
