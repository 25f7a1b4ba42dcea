import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { Oid4vpRequestsService } from '../oid4vp/oid4vp-requests.service.js';
import { ChallengesService } from './challenges.service.js';

/**
 * The purge loop: every VERIFIER_PURGE_INTERVAL_MS, deletes what is past VERIFIER_RESULT_RETENTION_SECONDS.
 * Every replica runs it; the statements are idempotent, so replicas need no lease. Reads already hide what is
 * past retention, so a late or failed purge never shows an old result; it only leaves it on disk a little longer.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly challenges: ChallengesService,
    private readonly oid4vpRequests: Oid4vpRequestsService,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Waits for a purge in progress; module destruction comes before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One purge now (VC-API challenges and OpenID4VP requests). @returns how many rows were deleted */
  async purgeNow(): Promise<number> {
    return (await this.challenges.purge()) + (await this.oid4vpRequests.purge());
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.purgeNow().then(
        (deleted) => {
          if (deleted > 0) this.logger.log(`deleted ${deleted} challenges and OpenID4VP requests past retention`);
        },
        (error: unknown) => this.logger.warn(`purge failed, retrying next round: ${error instanceof Error ? error.message : String(error)}`),
      );
      void this.running.then(() => this.schedule(this.config.VERIFIER_PURGE_INTERVAL_MS));
    }, delay);
  }
}
