import type { Problem } from '../../verification/types.js';
import { HOLDER_CURVES, KB_JWT_TYP, type SdJwtLimits } from './constants.js';
import { decodeCompactJws, sha256b64u, type MemberBudget } from './encoding.js';
import { verifyEcdsa, type EcPublicJwk } from './keys.js';

export interface KeyBindingExpectations {
  /** The nonce the verifier gave; checked when set. */
  expectedNonce?: string;
  /** The verifier's identifier; checked when set. */
  expectedAudience?: string;
  now: Date;
  /** How old a KB-JWT's `iat` may be. */
  maxKbAgeSeconds: number;
  /** Tolerated clock difference (an `iat` this far in the future is accepted). */
  clockSkewSeconds: number;
}

/**
 * Checks a Key Binding JWT (RFC 9901 §7.3): `typ: kb+jwt`, the `alg` of the cnf key's curve, no `crit`, a
 * signature by `cnf.jwk`, `sd_hash` over the presentation up to and including its last `~`, the nonce and
 * audience, and a fresh `iat`. Each failure its own problem; never throws.
 */
export function checkKeyBinding(kbJwt: string, presented: string, cnf: EcPublicJwk, expect: KeyBindingExpectations, limits: SdJwtLimits, budget: MemberBudget): Problem[] {
  const at = (code: Problem['code'], message: string): Problem[] => [{ code, message, path: 'kb_jwt' }];
  const decoded = decodeCompactJws(kbJwt, limits, budget);
  if (!decoded.ok) {
    const code = decoded.failure === 'too_deep' ? 'sd_jwt_too_deep' : decoded.failure === 'too_large' ? 'sd_jwt_too_large' : 'kb_jwt_malformed';
    return at(code, 'the Key Binding JWT is not a compact JWS of JSON objects');
  }
  const { header, payload, signingInput, signature } = decoded.jws;
  if (header.typ !== KB_JWT_TYP) return at('kb_jwt_malformed', `the Key Binding JWT typ must be ${KB_JWT_TYP}`);
  if (header.alg !== HOLDER_CURVES[cnf.crv]) return at('alg_not_allowed', `the Key Binding JWT alg must be ${HOLDER_CURVES[cnf.crv]} for a ${cnf.crv} cnf key`);
  if (header.crit !== undefined) return at('sd_jwt_crit_unsupported', 'the Key Binding JWT names critical extensions this verifier does not understand');
  if (!verifyEcdsa(cnf, signingInput, signature)) return at('kb_jwt_signature_invalid', 'the Key Binding JWT is not signed by the credential’s cnf key');

  const problems: Problem[] = [];
  if (payload.sd_hash !== sha256b64u(presented)) problems.push(...at('kb_jwt_sd_hash_mismatch', 'sd_hash does not match the presented SD-JWT and disclosures'));
  if (typeof payload.nonce !== 'string' || (expect.expectedNonce !== undefined && payload.nonce !== expect.expectedNonce)) {
    problems.push(...at('kb_jwt_nonce_mismatch', 'the Key Binding JWT nonce is not the expected one'));
  }
  if (typeof payload.aud !== 'string' || (expect.expectedAudience !== undefined && payload.aud !== expect.expectedAudience)) {
    problems.push(...at('kb_jwt_audience_mismatch', 'the Key Binding JWT aud is not this verifier'));
  }
  const now = Math.floor(expect.now.getTime() / 1000);
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    problems.push(...at('kb_jwt_iat_invalid', 'the Key Binding JWT has no numeric iat'));
  } else if (iat > now + expect.clockSkewSeconds) {
    problems.push(...at('kb_jwt_iat_invalid', 'the Key Binding JWT iat is in the future'));
  } else if (iat < now - expect.maxKbAgeSeconds - expect.clockSkewSeconds) {
    problems.push(...at('kb_jwt_iat_invalid', `the Key Binding JWT is older than ${expect.maxKbAgeSeconds} s`));
  }
  return problems;
}
