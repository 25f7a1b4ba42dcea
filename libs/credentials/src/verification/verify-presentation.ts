import { validateJwtPresentationPayload } from 'did-jwt-vc';
import { ethrDidAddress } from '../did/resolver.js';
import { jwtOf } from './credential-payload.js';
import { decodeJwt, verifyJwtSignature, type DecodedJwt } from './jwt.js';
import type { ProblemCode } from './problem-codes.js';
import { queryProblems, type PresentationQuery } from './query.js';
import { Recorder } from './recorder.js';
import { checkCredential, sameDid } from './verify-credential.js';
import type { VerificationContext, VerificationResult, VerifiedCredentialSummary } from './types.js';

/** Most credentials one presentation may carry (each costs a DID resolution and a signature check). */
export const MAX_CREDENTIALS_PER_PRESENTATION = 20;

/** What the presentation must answer. */
export interface PresentationExpectations {
  /** The challenge the verifier issued: the VP's `nonce` must equal it. */
  challenge: string;
  /** The verifier's domain: the VP's `aud` must contain it. */
  domain: string;
  /** The request's query, when the presentation answers a presentation request. */
  query?: PresentationQuery;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readPresentation(decoded: DecodedJwt): { ok: true; holder: string; credentials: unknown[] } | { ok: false; message: string } {
  const { payload } = decoded;
  if (!isObject(payload.vp)) return { ok: false, message: 'the JWT has no `vp` claim' };
  try {
    validateJwtPresentationPayload(payload as never);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'invalid presentation payload' };
  }
  if (typeof payload.iss !== 'string') return { ok: false, message: '`iss` (the holder) is missing' };
  if (payload.vp.holder !== undefined && payload.vp.holder !== payload.iss) return { ok: false, message: '`vp.holder` differs from `iss`' };
  const credentials = payload.vp.verifiableCredential ?? [];
  if (!Array.isArray(credentials)) return { ok: false, message: '`vp.verifiableCredential` must be an array' };
  if (credentials.length > MAX_CREDENTIALS_PER_PRESENTATION) {
    return { ok: false, message: `a presentation carries at most ${MAX_CREDENTIALS_PER_PRESENTATION} credentials` };
  }
  for (const key of ['nbf', 'exp'] as const) {
    if (payload[key] !== undefined && !Number.isSafeInteger(payload[key])) return { ok: false, message: `\`${key}\` is not a time` };
  }
  return { ok: true, holder: payload.iss, credentials };
}

/**
 * Verifies a VP-JWT and every credential in it (W3C VC Data Model 1.1 §6.3.1, JWT encoding): the holder's
 * signature, challenge (`nonce`) and domain (`aud`), each credential's own signature with the issuer key in
 * force at issuance, holder binding, validity, schema, status and accreditation, then the request's query.
 * Veramo 7's verifyPresentation checks only the presentation's own signature, so nothing is delegated to it.
 * Single use and expiry of the challenge are the caller's (they need its store). Never throws.
 */
export async function verifyPresentation(
  input: unknown,
  expected: PresentationExpectations,
  ctx: VerificationContext,
): Promise<VerificationResult> {
  const recorder = new Recorder();
  const decoded = decodeJwt(jwtOf(input));
  const read = decoded.ok ? readPresentation(decoded.decoded) : undefined;
  if (!decoded.ok || !read?.ok) {
    const problem = !decoded.ok
      ? { code: decoded.code, message: decoded.message }
      : { code: 'presentation_malformed' as const, message: (read as { message: string }).message };
    recorder.fail('presentation_format', 'verifiablePresentation', [problem]);
    for (const check of ['presentation_signature', 'challenge', 'domain', 'presentation_validity_period'] as const) {
      recorder.skip(check, 'verifiablePresentation');
    }
    if (expected.query) recorder.skip('request');
    return { verified: false, checks: recorder.checks, problems: recorder.problems, credentials: [] };
  }
  recorder.pass('presentation_format', 'verifiablePresentation');
  const { payload, jwt } = decoded.decoded;
  const path = 'verifiablePresentation';

  let signatureProblems: Array<{ code: ProblemCode; message: string }> = [];
  if (!ethrDidAddress(read.holder, ctx.chainId)) {
    signatureProblems = [{ code: 'did_unresolvable', message: `the holder must be a did:ethr identity on chain ${ctx.chainId}` }];
  } else {
    const outcome = await verifyJwtSignature(
      jwt,
      ctx.resolver,
      'authentication',
      ctx.signatures ? { verifier: ctx.signatures, decoded: decoded.decoded } : undefined,
    );
    if (!outcome.ok) {
      signatureProblems = [
        outcome.reason === 'did_unresolvable'
          ? { code: 'did_unresolvable', message: outcome.message }
          : { code: 'presentation_signature_invalid', message: "the presentation signature does not match the holder's key" },
      ];
    }
  }
  recorder.outcome('presentation_signature', path, signatureProblems);

  recorder.outcome(
    'challenge',
    path,
    payload.nonce === expected.challenge ? [] : [{ code: 'challenge_mismatch', message: 'the presentation answers another challenge (`nonce`)' }],
  );
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  recorder.outcome(
    'domain',
    path,
    audience.includes(expected.domain) ? [] : [{ code: 'domain_mismatch', message: `the presentation is not addressed to ${expected.domain} (\`aud\`)` }],
  );
  const now = Math.floor(ctx.now().getTime() / 1000);
  const period: Array<{ code: ProblemCode; message: string }> = [];
  if (typeof payload.nbf === 'number' && payload.nbf > now + ctx.clockSkewSeconds) {
    period.push({ code: 'presentation_not_yet_valid', message: 'the presentation is not valid yet (`nbf`)' });
  }
  if (typeof payload.exp === 'number' && payload.exp <= now - ctx.clockSkewSeconds) {
    period.push({ code: 'presentation_expired', message: 'the presentation has expired (`exp`)' });
  }
  recorder.outcome('presentation_validity_period', path, period);

  const credentials: VerifiedCredentialSummary[] = [];
  for (const [i, credential] of read.credentials.entries()) {
    const summary = await checkCredential(credential, ctx, recorder, { path: `${path}.verifiableCredential[${i}]`, holder: read.holder });
    if (summary) credentials.push(summary);
  }

  if (expected.query) {
    const problems = queryProblems(expected.query, credentials, (a, b) => sameDid(a, b, ctx.chainId));
    if (problems.length === 0) recorder.pass('request');
    else recorder.fail('request', undefined, problems);
  }
  return {
    verified: recorder.allPassed,
    checks: recorder.checks,
    problems: recorder.problems,
    ...(signatureProblems.length === 0 ? { holder: read.holder } : {}),
    credentials,
  };
}
