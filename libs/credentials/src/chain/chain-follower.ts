import type { Provider } from 'ethers';
import type { ScanLogsOptions } from './log-scanner.js';

/** Settings every chain mirror shares. */
export interface FollowOptions extends ScanLogsOptions {
  provider: Provider;
  /** Address of the contract whose logs are followed. */
  registry: string;
  /** First block to scan (the registry's deployment block). @default 0 */
  fromBlock?: number;
  /** Blocks to wait before trusting a log. @default 0 */
  confirmations?: number;
  /** Interval of {@link ChainFollower.start}'s polling. @default 1000 */
  pollIntervalMs?: number;
  /**
   * After this long without a successful sync the mirror stops vouching for anything (`unknown`, or a query
   * to the chain): a mirror that cannot reach the chain must not keep answering from an old copy. @default 60000
   */
  maxStalenessMs?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * What the registry mirrors (status lists, accreditations, DID documents) share: one sync at a time however
 * many callers ask, polling after {@link start}, the last synced block, and staleness. A subclass implements
 * {@link pull} and calls {@link markSynced} when its copy includes the chain up to a block.
 */
export abstract class ChainFollower<Report> {
  /** Next block to scan. */
  protected nextBlock: number;
  private lastSyncAt = -Infinity;
  private syncing: Promise<Report> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Last error of a background sync, if the latest one failed. */
  lastError: unknown;

  protected constructor(protected readonly follow: FollowOptions) {
    this.nextBlock = follow.fromBlock ?? 0;
  }

  /** Last block whose logs are included, or -1 before the first sync. */
  get syncedBlock(): number {
    return this.nextBlock - 1;
  }

  /** Brings the copy up to the chain's latest block (less confirmations). Concurrent calls share one run. */
  sync(): Promise<Report> {
    this.syncing ??= this.pull().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Syncs once, then keeps following new blocks until {@link stop}. */
  async start(): Promise<Report> {
    const report = await this.sync();
    this.timer ??= setInterval(() => {
      this.sync().then(
        () => (this.lastError = undefined),
        (error: unknown) => (this.lastError = error),
      );
    }, this.follow.pollIntervalMs ?? 1000);
    this.timer.unref();
    return report;
  }

  /** Stops following the chain. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The latest block to include now: the chain's head less the confirmations. */
  protected async targetBlock(): Promise<number> {
    return (await this.follow.provider.getBlockNumber()) - (this.follow.confirmations ?? 0);
  }

  /** Records that the copy includes every block up to `block`, now. */
  protected markSynced(block: number): void {
    this.nextBlock = Math.max(this.nextBlock, block + 1);
    this.lastSyncAt = (this.follow.now ?? Date.now)();
  }

  /** Whether the last successful sync is recent enough to answer from memory. */
  protected recentlySynced(): boolean {
    return (this.follow.now ?? Date.now)() - this.lastSyncAt <= (this.follow.maxStalenessMs ?? 60_000);
  }

  /** One sync: read new logs up to {@link targetBlock}, apply them, check the copy, {@link markSynced}. */
  protected abstract pull(): Promise<Report>;
}
