import { Inject, Injectable } from '@nestjs/common';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { PurgeLoop } from '../database/purge-loop.js';
import { Oid4vpRequestsService } from '../oid4vp/oid4vp-requests.service.js';
import { ChallengesService } from './challenges.service.js';

/** The purge loop: every VERIFIER_PURGE_INTERVAL_MS, deletes what is past VERIFIER_RESULT_RETENTION_SECONDS. */
@Injectable()
export class RetentionService extends PurgeLoop {
  constructor(
    private readonly challenges: ChallengesService,
    private readonly oid4vpRequests: Oid4vpRequestsService,
    @Inject(VERIFIER_CONFIG) config: VerifierConfig,
  ) {
    super('Retention', 'challenges and OpenID4VP requests', config.VERIFIER_PURGE_INTERVAL_MS);
  }

  /** One purge now (VC-API challenges and OpenID4VP requests). @returns how many rows were deleted */
  async purgeNow(): Promise<number> {
    return (await this.challenges.purge()) + (await this.oid4vpRequests.purge());
  }
}
