import { Inject, Injectable } from '@nestjs/common';
import {
  verifyCredential,
  verifyPresentations,
  type PresentationQuery,
  type ProblemCode,
  type VerificationResult,
} from '../../../../libs/credentials/src/index.js';
import { ChainState } from '../chain/chain-state.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { PresentationRequestsService, type ChallengeState } from '../presentation-requests/presentation-requests.service.js';
import type { VerifyPresentationBody } from './dto/verify.dto.js';

/** Adds a problem to a result, marking `check` failed. */
function addProblem(result: VerificationResult, check: 'challenge' | 'domain', code: ProblemCode, message: string, path: string): void {
  const entry = result.checks.find((c) => c.check === check);
  if (entry) entry.status = 'failed';
  else result.checks.push({ check, status: 'failed', path });
  result.problems.push({ code, message, path });
  result.verified = false;
}

const CHALLENGE_MESSAGES = {
  challenge_unknown: 'the challenge was not issued by this verifier',
  challenge_expired: 'the challenge has expired',
  challenge_replayed: 'the challenge was already used by another presentation',
} as const;

/** Verification at the service edge: the pipeline from libs, plus the challenge store. */
@Injectable()
export class VerificationService {
  constructor(
    private readonly chain: ChainState,
    private readonly requests: PresentationRequestsService,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
  ) {}

  verifyCredential(credential: unknown): Promise<VerificationResult> {
    return verifyCredential(credential, this.chain.verificationContext());
  }

  /**
   * Verifies a presentation against the request its challenge belongs to. With `verifierId` (a verifier account
   * calling), only that account's own challenges are known. The challenge is used up only by a presentation
   * that verifies completely (every check, the request's query included), so whoever else holds the request URL
   * cannot lock the holder out with garbage or with a presentation of their own; the result is stored for the
   * account that made the request (a failed attempt that answered this challenge too, without using it up).
   */
  async verifyPresentation(body: VerifyPresentationBody, verifierId?: string): Promise<VerificationResult> {
    const { challenge, domain } = body.options;
    const found = await this.requests.lookup(challenge);
    // Another account's challenge is unknown to this one: its query and domain are not used either.
    const state: ChallengeState = verifierId !== undefined && found.request && found.request.verifierId !== verifierId ? { ok: false, code: 'challenge_unknown' } : found;
    const query = state.request ? (JSON.parse(state.request.query) as PresentationQuery) : undefined;
    const result = await verifyPresentations(
      {
        ...(body.verifiablePresentation !== undefined ? { verifiablePresentation: body.verifiablePresentation } : {}),
        ...(body.sdJwtPresentations ? { sdJwtPresentations: body.sdJwtPresentations } : {}),
      },
      { challenge, domain, ...(query ? { query } : {}) },
      this.chain.verificationContext(),
    );

    const expectedDomain = state.request?.domain ?? this.config.VERIFIER_DOMAIN;
    if (domain !== expectedDomain) addProblem(result, 'domain', 'domain_mismatch', `this verifier's domain is ${expectedDomain}`, 'options.domain');
    if (!state.ok) {
      addProblem(result, 'challenge', state.code, CHALLENGE_MESSAGES[state.code], 'options.challenge');
      return result;
    }
    if (result.verified) {
      if (!(await this.requests.consume(state.request.id, result))) {
        // Another presentation (perhaps on another replica) used the challenge between lookup and now.
        addProblem(result, 'challenge', 'challenge_replayed', CHALLENGE_MESSAGES.challenge_replayed, 'options.challenge');
      }
      return result;
    }
    // Kept for the account only when a holder key signed an answer to this very challenge: garbage writes nothing.
    // An SD-JWT VC's holder binding passes only for a KB-JWT signed by its cnf key with this challenge as nonce.
    const answersChallenge =
      (result.checks.some((c) => c.check === 'presentation_signature' && c.status === 'passed') &&
        result.checks.some((c) => c.check === 'challenge' && c.status === 'passed')) ||
      result.checks.some((c) => c.check === 'holder_binding' && c.status === 'passed' && c.path?.startsWith('sdJwtPresentations['));
    if (answersChallenge) await this.requests.recordFailedAttempt(state.request.id, result);
    return result;
  }
}
