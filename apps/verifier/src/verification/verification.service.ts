import { Inject, Injectable } from '@nestjs/common';
import {
  verifyCredential,
  verifyPresentations,
  GovcredError,
  readPresentationQuery,
  type ProblemCode,
  type VerificationResult,
} from '../../../../libs/credentials/src/index.js';
import { ChainState } from '../chain/chain-state.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { ChallengesService, type ChallengeState } from '../challenges/challenges.service.js';
import { VerifierRegistrationService } from '../registration/verifier-registration.service.js';
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
    private readonly challenges: ChallengesService,
    private readonly registrations: VerifierRegistrationService,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
  ) {}

  verifyCredential(credential: unknown): Promise<VerificationResult> {
    return verifyCredential(credential, this.chain.verificationContext());
  }

  /**
   * Verifies a presentation against a challenge from `POST /challenges` and the caller's `options.query`. With
   * `verifier` (a verifier account calling), only that account's own challenges are known. The challenge is used
   * up only by a presentation that verifies completely (every check, the query included), so whoever else holds
   * the challenge cannot lock the holder out with garbage or with a presentation of their own.
   * @throws GovcredError invalid_request (a query naming a broken issuer DID), request_not_registered (a query
   *   beyond the account's registration on the VerifierRegistry)
   */
  async verifyPresentation(body: VerifyPresentationBody, verifier?: Pick<VerifierAccountEntity, 'id' | 'did'>): Promise<VerificationResult> {
    const { challenge, domain, query } = body.options;
    if (query) {
      const read = readPresentationQuery(query);
      if (!read.ok) {
        const errors = read.errors.map((e) => ({ ...e, path: e.path.replace(/^\/query/, '/options/query') }));
        throw new GovcredError('invalid_request', 'the request body does not match the expected shape', { errors });
      }
      // An account tied to a DID asks only within its registration, as over OpenID4VP.
      if (verifier?.did) this.registrations.assertQueryAllowed(verifier.did, read.query);
    }
    const result = await verifyPresentations(
      {
        ...(body.verifiablePresentation !== undefined ? { verifiablePresentation: body.verifiablePresentation } : {}),
        ...(body.sdJwtPresentations ? { sdJwtPresentations: body.sdJwtPresentations } : {}),
      },
      { challenge, domain, ...(query ? { query } : {}) },
      this.chain.verificationContext(),
    );
    // A presentation that verified uses its challenge up in one statement, if the challenge allows it; otherwise
    // the challenge is read to say why it does not.
    if (result.verified && (await this.challenges.consume(challenge, domain, verifier?.id))) return result;

    const found = await this.challenges.lookup(challenge);
    // Another account's challenge is unknown to this one: its domain is not used either.
    const state: ChallengeState = verifier !== undefined && found.entity && found.entity.verifierId !== verifier.id ? { ok: false, code: 'challenge_unknown' } : found;
    const expectedDomain = state.entity?.domain ?? this.config.VERIFIER_DOMAIN;
    if (domain !== expectedDomain) addProblem(result, 'domain', 'domain_mismatch', `this verifier's domain is ${expectedDomain}`, 'options.domain');
    if (!state.ok) addProblem(result, 'challenge', state.code, CHALLENGE_MESSAGES[state.code], 'options.challenge');
    else if (result.verified) {
      // Usable when read, yet the UPDATE did not use it up (not expected: the read checks no less than the UPDATE's
      // condition). Never accepted without being used up: refused as a replay.
      addProblem(result, 'challenge', 'challenge_replayed', CHALLENGE_MESSAGES.challenge_replayed, 'options.challenge');
    }
    return result;
  }
}
