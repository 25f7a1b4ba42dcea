import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkerLoop } from '../../../common/src/runtime/worker-loop.js';

/**
 * A purge loop of the verifier: `purgeNow()` at start, then every `intervalMs`, for as long as the app runs.
 * Every replica runs it; the purge statements are idempotent, so replicas need no lease. Reads already hide
 * what is past retention, so a late or failed purge never shows an old result: a failed round is logged and
 * the next one retries. Each service keeps its own statements in `purgeNow()`.
 */
export abstract class PurgeLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly loop: WorkerLoop;

  /** @param what what the purge deletes, for the log line of a round that deleted something */
  protected constructor(name: string, what: string, intervalMs: number) {
    this.logger = new Logger(name);
    // `purgeNow` is looked up when a round runs: the subclass's fields are set by then.
    this.loop = new WorkerLoop(async () => {
      try {
        const deleted = await this.purgeNow();
        if (deleted > 0) this.logger.log(`deleted ${deleted} ${what} past retention`);
      } catch (error) {
        this.logger.warn(`purge failed, retrying next round: ${error instanceof Error ? error.message : String(error)}`);
      }
      return intervalMs;
    });
  }

  /** One purge now. @returns how many rows were deleted */
  abstract purgeNow(): Promise<number>;

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Waits for a purge in progress; module destruction comes before the database connection closes. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
