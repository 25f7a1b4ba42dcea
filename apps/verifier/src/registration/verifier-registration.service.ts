import { Inject, Injectable } from '@nestjs/common';
import {
  GovcredError,
  credentialTypeHash,
  scopeAllows,
  type ClaimPath,
  type MayAskAnswer,
  type ReadPresentationQuery,
  type VerifierStanding,
} from '../../../../libs/credentials/src/index.js';
import { ChainState } from '../chain/chain-state.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { VERIFIER_CLOCK } from '../challenges/challenges.service.js';

/** One credential of a request that the account's registration does not allow, and why. */
export interface RefusedCredential {
  type: string;
  reason: Exclude<MayAskAnswer, { allowed: true }>['reason'];
  /** The requested claim paths no registered path covers (`[]`: the whole credential). */
  claims?: ClaimPath[];
}

/**
 * What the chain says a verifier account may do, answered from the VerifierRegistry mirror. Only accounts tied to a
 * DID are checked; accounts without one are the legacy mode (they ask for anything, as before registrations existed).
 */
@Injectable()
export class VerifierRegistrationService {
  constructor(
    private readonly chain: ChainState,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
  ) {}

  /**
   * Refuses a DID whose registration is not in force now. Syncs the mirror first: an admin often registers the
   * verifier on chain moments before creating its account, and this call is rare.
   * @throws GovcredError verifier_not_registered; chain_unavailable when the mirror cannot vouch
   */
  async assertRegistered(did: string): Promise<void> {
    await this.chain.verifierMirror.sync().catch((error: unknown) => {
      throw new GovcredError('chain_unavailable', 'the VerifierRegistry cannot be read', undefined, { cause: error });
    });
    const standing = this.standing(did);
    if (standing.inForce) return;
    if (standing.reason === 'unknown') throw new GovcredError('chain_unavailable', 'the VerifierRegistry mirror is not in sync with the chain');
    throw new GovcredError('verifier_not_registered', `this DID has no registration in force on the VerifierRegistry (${standing.reason})`, {
      reason: standing.reason,
    });
  }

  /**
   * Refuses a presentation query of the account `did` that asks beyond its registration in force, listing every
   * refused type and claim. From memory: no RPC per request.
   * @throws GovcredError request_not_registered; chain_unavailable when the mirror cannot vouch
   */
  assertQueryAllowed(did: string, query: ReadPresentationQuery): void {
    // A DCQL entry naming no type of the catalog is asked under its label: no registration covers it.
    this.assertScopesAllowed(did, query.scopes.map((s) => ({ type: s.type ?? s.label, paths: s.paths })));
  }

  /**
   * Refuses a request of the account `did` whose credential types and subject claim paths (`[]`: the whole
   * credential) go beyond its registration in force, listing every refused type and claim. From memory.
   * @throws GovcredError request_not_registered; chain_unavailable when the mirror cannot vouch
   */
  assertScopesAllowed(did: string, scopes: ReadonlyArray<{ type: string; paths: ClaimPath[] }>): void {
    const standing = this.standing(did);
    if (!standing.inForce && standing.reason === 'unknown') {
      throw new GovcredError('chain_unavailable', 'the VerifierRegistry mirror is not in sync with the chain');
    }
    const refused: RefusedCredential[] = [];
    for (const requested of scopes) {
      const answer: MayAskAnswer = standing.inForce
        ? scopeAllows(standing.registration, credentialTypeHash(requested.type), requested.paths)
        : { allowed: false, reason: standing.reason };
      if (!answer.allowed) refused.push({ type: requested.type, reason: answer.reason, ...(answer.claims ? { claims: answer.claims } : {}) });
    }
    if (refused.length > 0) {
      throw new GovcredError('request_not_registered', 'the request asks for more than this verifier is registered for on chain', { refused });
    }
  }

  /**
   * The standing now. A registration that starts within CLOCK_SKEW_SECONDS counts as started: the chain's block
   * times may run ahead of this machine's clock. Its end gets no such leeway (a withdrawal takes effect at once).
   * From memory (the mirror); `unknown` when the mirror cannot vouch.
   */
  standing(did: string): VerifierStanding {
    const now = this.nowSeconds();
    const standing = this.chain.verifierMirror.standing(did, now);
    if (standing.inForce || standing.reason !== 'not_yet_valid') return standing;
    const soon = this.chain.verifierMirror.standing(did, now + this.config.CLOCK_SKEW_SECONDS);
    return soon.inForce ? soon : standing;
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
