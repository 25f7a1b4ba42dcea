import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import { jwtOf, vcdmProblem } from './credential-payload.js';
import { decodeJwt, verifyJwtSignature, type DecodedJwt } from './jwt.js';
import { JWT_LIMITS } from './limits.js';
import type { ProblemCode } from './problem-codes.js';
import { queryProblems, type PresentationQuery } from './query.js';
import { Recorder } from './recorder.js';
import { checkCredential, sameDid } from './verify-credential.js';
import type { VerificationContext, VerificationResult, VerifiedCredentialSummary } from './types.js';

/** Most credentials one presentation may carry. @see JWT_LIMITS.credentialsPerPresentation */
export const MAX_CREDENTIALS_PER_PRESENTATION = JWT_LIMITS.credentialsPerPresentation;

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

type ReadPresentation = { ok: true; holder: string; credentials: unknown[] } | { ok: false; code: ProblemCode; message: string };

/**
 * Reads a VP-JWT payload (VCDM 1.1 §6.3.1) with plain checks: the number of credentials is bounded before any
 * of them is looked at, and no credential string meets a pattern here (each is decoded, size first, by
 * checkCredential). did-jwt-vc's validator is not used: it matches every credential string against a
 * backtracking pattern, quadratic in the string's length.
 */
function readPresentation(decoded: DecodedJwt): ReadPresentation {
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
  const decoded = decodeJwt(jwtOf(input), JWT_LIMITS.presentationJwtLength);
  const read = decoded.ok ? readPresentation(decoded.decoded) : undefined;
  if (!decoded.ok || !read?.ok) {
    const failure = !decoded.ok ? decoded : (read as Extract<ReadPresentation, { ok: false }>);
    const problem = { code: failure.code, message: failure.message };
    recorder.fail('presentation_format', 'verifiablePresentation', [problem]);
    for (const check of ['presentation_signature', 'challenge', 'domain', 'presentation_validity_period'] as const) {
      recorder.skip(check, 'verifiablePresentation');
    }
    if (expected.query) recorder.skip('request');
    return { verified: false, checks: recorder.checks, problems: recorder.problems, credentials: [] };
  }
  recorder.pass('presentation_format', 'verifiablePresentation');
  const { payload } = decoded.decoded;
  const path = 'verifiablePresentation';

  let signatureProblems: Array<{ code: ProblemCode; message: string }> = [];
  const holderDid = parseEthrDid(read.holder, ctx.chainId);
  if (!holderDid.ok) {
    signatureProblems = [
      isBrokenEthrDid(holderDid.reason)
        ? { code: 'did_invalid', message: `the holder DID is broken: ${holderDid.message}` }
        : { code: 'did_unresolvable', message: `the holder must be a did:ethr identity on chain ${ctx.chainId}` },
    ];
  } else {
    const outcome = await verifyJwtSignature(decoded.decoded, ctx.resolver, 'authentication', ctx.signatures);
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
