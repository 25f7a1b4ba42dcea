import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import { sameDid } from '../did/same-did.js';
import { MAX_CREDENTIALS_PER_PRESENTATION, readPresentation, type ReadPresentation } from '../formats/jwt-vc/presentation.js';
import { jwtOf } from '../formats/jwt-vc/payload.js';
import { jwtVcProvider } from '../formats/jwt-vc/provider.js';
import { sdJwtVcProvider } from '../formats/sd-jwt-vc/provider.js';
import type { PresentationQuery } from '../query/presentation-query.js';
import { readPresentationQuery } from '../query/read-query.js';
import { queryProblems } from '../query/request-check.js';
import { decodeJwt, verifyJwtSignature } from './jwt.js';
import { JWT_LIMITS } from './limits.js';
import type { ProblemCode } from './problem-codes.js';
import { Recorder } from './recorder.js';
import { checkCredential } from './verify-credential.js';
import type { VerificationContext, VerificationResult, VerifiedCredentialSummary } from './types.js';

export { MAX_CREDENTIALS_PER_PRESENTATION };

/** Most SD-JWT VC presentations one request may carry (each is one credential). */
export const MAX_SD_JWT_PRESENTATIONS = 10;

/** What the presentation must answer. */
export interface PresentationExpectations {
  /** The challenge the verifier issued: the VP's `nonce` (and each KB-JWT's `nonce`) must equal it. */
  challenge: string;
  /** The verifier's domain: the VP's `aud` must contain it (and each KB-JWT's `aud` be it). */
  domain: string;
  /** What the presentation must hold: a VC-API caller's `options.query` (DCQL, or its original shape). */
  query?: PresentationQuery;
}

/** What a holder presents: a VP-JWT of JWT VCs, SD-JWT VC presentations (each with its KB-JWT), or both. */
export interface PresentationInput {
  verifiablePresentation?: unknown;
  sdJwtPresentations?: readonly unknown[];
}

/**
 * Verifies a VP-JWT and every credential in it (W3C VC Data Model 1.1 §6.3.1, JWT encoding): the holder's
 * signature, challenge (`nonce`) and domain (`aud`), each credential's own signature with the issuer key in
 * force at issuance, holder binding, validity, schema, status and accreditation, then the request's query.
 * Veramo 7's verifyPresentation checks only the presentation's own signature, so nothing is delegated to it.
 * Single use and expiry of the challenge are the caller's (they need its store). Never throws.
 */
export function verifyPresentation(input: unknown, expected: PresentationExpectations, ctx: VerificationContext): Promise<VerificationResult> {
  return verifyPresentations({ verifiablePresentation: input }, expected, ctx);
}

/**
 * Verifies what a holder presents in answer to one challenge: a VP-JWT (as {@link verifyPresentation}) and/or
 * SD-JWT VC presentations, each bound to the challenge and domain by its Key Binding JWT (RFC 9901 §7.3), then
 * the request's query over every verified credential's disclosed claims. Never throws.
 */
export async function verifyPresentations(input: PresentationInput, expected: PresentationExpectations, ctx: VerificationContext): Promise<VerificationResult> {
  const recorder = new Recorder();
  const credentials: VerifiedCredentialSummary[] = [];
  let holder: string | undefined;
  let vpRead = true;
  if (input.verifiablePresentation !== undefined || input.sdJwtPresentations === undefined) {
    const vp = await checkVpJwt(input.verifiablePresentation, expected, ctx, recorder, credentials);
    holder = vp.holder;
    vpRead = vp.read;
  }
  const sdJwts = input.sdJwtPresentations ?? [];
  if (sdJwts.length > MAX_SD_JWT_PRESENTATIONS) {
    recorder.fail('presentation_format', 'sdJwtPresentations', [{ code: 'too_many_credentials', message: `at most ${MAX_SD_JWT_PRESENTATIONS} SD-JWT VC presentations` }]);
    vpRead = false;
  } else {
    for (const [i, presentation] of sdJwts.entries()) {
      const summary = await checkCredential(presentation, ctx, recorder, {
        path: `sdJwtPresentations[${i}]`,
        keyBinding: { nonce: expected.challenge, audience: expected.domain },
        provider: sdJwtVcProvider,
      });
      if (summary) credentials.push(summary);
    }
  }

  if (expected.query) {
    // A presentation that could not be read may have carried what the query asks: no verdict on the request then.
    if (!vpRead) recorder.skip('request');
    else {
      // The edge refuses an unreadable query with 400 before this; a library caller gets it as the request unmet.
      const read = readPresentationQuery(expected.query);
      const problems = read.ok
        ? queryProblems(read.query, credentials, (a, b) => sameDid(a, b, ctx.chainId))
        : [{ code: 'requested_credential_missing' as const, message: `the query cannot be read: ${read.errors[0]!.message}`, path: 'query' }];
      if (problems.length === 0) recorder.pass('request');
      else recorder.fail('request', undefined, problems);
    }
  }
  return { verified: recorder.allPassed, checks: recorder.checks, problems: recorder.problems, ...(holder ? { holder } : {}), credentials };
}

/** The VP-JWT's own checks and its credentials'; `read` is false when the VP could not be read at all. */
async function checkVpJwt(
  input: unknown,
  expected: PresentationExpectations,
  ctx: VerificationContext,
  recorder: Recorder,
  credentials: VerifiedCredentialSummary[],
): Promise<{ read: boolean; holder?: string }> {
  const path = 'verifiablePresentation';
  const decoded = decodeJwt(jwtOf(input), JWT_LIMITS.presentationJwtLength);
  const read = decoded.ok ? readPresentation(decoded.decoded) : undefined;
  if (!decoded.ok || !read?.ok) {
    const failure = !decoded.ok ? decoded : (read as Extract<ReadPresentation, { ok: false }>);
    recorder.fail('presentation_format', path, [{ code: failure.code, message: failure.message }]);
    for (const check of ['presentation_signature', 'challenge', 'domain', 'presentation_validity_period'] as const) recorder.skip(check, path);
    return { read: false };
  }
  recorder.pass('presentation_format', path);
  const { payload } = decoded.decoded;

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

  for (const [i, credential] of read.credentials.entries()) {
    // A W3C VP carries JWT VCs only: an SD-JWT VC is presented on its own, bound by its KB-JWT.
    const summary = await checkCredential(credential, ctx, recorder, { path: `${path}.verifiableCredential[${i}]`, holder: read.holder, provider: jwtVcProvider });
    if (summary) credentials.push(summary);
  }
  return { read: true, ...(signatureProblems.length === 0 ? { holder: read.holder } : {}) };
}
