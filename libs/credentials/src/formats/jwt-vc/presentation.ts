import type { DecodedJwt } from '../../verification/jwt.js';
import { JWT_LIMITS } from '../../verification/limits.js';
import type { ProblemCode } from '../../verification/problem-codes.js';
import { vcdmProblem } from './payload.js';

/** Most credentials one presentation may carry. @see JWT_LIMITS.credentialsPerPresentation */
export const MAX_CREDENTIALS_PER_PRESENTATION = JWT_LIMITS.credentialsPerPresentation;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type ReadPresentation = { ok: true; holder: string; credentials: unknown[] } | { ok: false; code: ProblemCode; message: string };

/**
 * Reads a VP-JWT payload (VCDM 1.1 §6.3.1) with plain checks: the number of credentials is bounded before any
 * of them is looked at, and no credential string meets a pattern here (each is decoded, size first, by
 * checkCredential). did-jwt-vc's validator is not used: it matches every credential string against a
 * backtracking pattern, quadratic in the string's length.
 */
export function readPresentation(decoded: DecodedJwt): ReadPresentation {
  const { payload } = decoded;
  const malformed = (message: string): ReadPresentation => ({ ok: false, code: 'presentation_malformed', message });
  if (!isObject(payload.vp)) return malformed('the JWT has no `vp` claim');
  const vcdm = vcdmProblem(payload.vp, 'VerifiablePresentation');
  if (vcdm) return malformed(vcdm);
  if (typeof payload.iss !== 'string') return malformed('`iss` (the holder) is missing');
  if (payload.vp.holder !== undefined && payload.vp.holder !== payload.iss) return malformed('`vp.holder` differs from `iss`');
  const credentials = payload.vp.verifiableCredential ?? [];
  if (!Array.isArray(credentials)) return malformed('`vp.verifiableCredential` must be an array');
  if (credentials.length > MAX_CREDENTIALS_PER_PRESENTATION) {
    return { ok: false, code: 'too_many_credentials', message: `a presentation carries at most ${MAX_CREDENTIALS_PER_PRESENTATION} credentials` };
  }
  for (const key of ['nbf', 'exp'] as const) {
    if (payload[key] !== undefined && !Number.isSafeInteger(payload[key])) return malformed(`\`${key}\` is not a time`);
  }
  return { ok: true, holder: payload.iss, credentials };
}
