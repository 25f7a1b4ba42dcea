import type { Provider } from 'ethers';

/** Options of {@link BlockTimeIndex}. */
export interface BlockTimeIndexOptions {
  /** Block timestamps kept in memory (they never change once final). @default 50000 */
  maxCachedBlocks?: number;
  /** How long the chain head is reused between lookups. @default 1000 */
  headTtlMs?: number;
}

/**
 * Finds the last block mined at or before a time, by binary search over block timestamps.
 *
 * ethr-did-resolver 11.0.4 pins a DID document to a block (`?versionId=<block>`) but ignores `?versionTime=`;
 * this turns a credential's issuance time into the block whose DID state was in force then. Timestamps of
 * visited blocks are cached, so repeated lookups mostly stay in memory.
 */
export class BlockTimeIndex {
  private readonly timestamps = new Map<number, number>();
  private head: { number: number; at: number } | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly options: BlockTimeIndexOptions = {},
  ) {}

  /**
   * The highest block whose timestamp is at most `unixSeconds`; 0 when the time is before the first block.
   * @throws when the chain cannot be reached.
   */
  async blockAt(unixSeconds: number): Promise<number> {
    let hi = await this.latest(false);
    if ((await this.timestampOf(hi)) <= unixSeconds) {
      // A cached head may predate a block mined since (an owner change, say): only a fresh head may answer.
      hi = await this.latest(true);
      if ((await this.timestampOf(hi)) <= unixSeconds) return hi;
    }
    let lo = 0;
    if ((await this.timestampOf(lo)) > unixSeconds) return 0;
    // Invariant: timestamp(lo) <= t < timestamp(hi).
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if ((await this.timestampOf(mid)) <= unixSeconds) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private async latest(fresh: boolean): Promise<number> {
    const now = Date.now();
    if (fresh || !this.head || now - this.head.at > (this.options.headTtlMs ?? 1000)) {
      this.head = { number: await this.provider.getBlockNumber(), at: now };
    }
    return this.head.number;
  }

  /**
   * The timestamp of a block (Unix seconds), from the cache when visited before.
   * @throws when the chain cannot be reached or has no such block.
   */
  async timestampOf(blockNumber: number): Promise<number> {
    const cached = this.timestamps.get(blockNumber);
    if (cached !== undefined) return cached;
    const block = await this.provider.getBlock(blockNumber);
    if (!block) throw new Error(`block ${blockNumber} not found`);
    if (this.timestamps.size >= (this.options.maxCachedBlocks ?? 50_000)) this.timestamps.clear();
    this.timestamps.set(blockNumber, block.timestamp);
    return block.timestamp;
  }
}
