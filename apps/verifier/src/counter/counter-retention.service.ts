import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { ClerksService } from './clerks.service.js';
import { CounterChecksService } from './counter-checks.service.js';

/**
 * The counter's purge loop, beside the verifier's own (challenges/retention.service.ts) and on the same interval:
 * checks past the result retention, expired sessions, failure counts whose window passed. Every replica runs it;
 * the statements are idempotent. Reads hide what is past retention already, so a late purge shows nothing old.
 */
@Injectable()
export class CounterRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CounterRetention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly checks: CounterChecksService,
    private readonly clerks: ClerksService,
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

  /** One purge now. @returns how many rows were deleted */
  async purgeNow(): Promise<number> {
    return (await this.checks.purge()) + (await this.clerks.purge());
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.purgeNow().then(
        () => undefined,
        (error: unknown) => this.logger.warn(`purge failed, retrying next round: ${error instanceof Error ? error.message : String(error)}`),
      );
      void this.running.then(() => this.schedule(this.config.VERIFIER_PURGE_INTERVAL_MS));
    }, delay);
  }
}
