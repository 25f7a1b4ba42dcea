import { Inject, Injectable } from '@nestjs/common';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { PurgeLoop } from '../database/purge-loop.js';
import { ClerksService } from './clerks.service.js';
import { CounterChecksService } from './counter-checks.service.js';

/**
 * The counter's purge loop, beside the verifier's own (challenges/retention.service.ts) and on the same interval:
 * checks past the result retention, expired sessions, failure counts whose window passed.
 */
@Injectable()
export class CounterRetentionService extends PurgeLoop {
  constructor(
    private readonly checks: CounterChecksService,
    private readonly clerks: ClerksService,
    @Inject(VERIFIER_CONFIG) config: VerifierConfig,
  ) {
    super('CounterRetention', 'counter checks, sessions and failure counts', config.VERIFIER_PURGE_INTERVAL_MS);
  }

  /** One purge now. @returns how many rows were deleted */
  async purgeNow(): Promise<number> {
    return (await this.checks.purge()) + (await this.clerks.purge());
  }
}
