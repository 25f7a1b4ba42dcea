import type { Filter, Log, Provider } from 'ethers';

/** Options of {@link scanLogs}. */
export interface ScanLogsOptions {
  /** Blocks per `eth_getLogs` request; halved while the node refuses a range. @default 10000 */
  blocksPerRequest?: number;
}

/**
 * Fetches the logs matching `filter` in [fromBlock, toBlock], in block ranges a node accepts, ordered by
 * block and log index. Public nodes cap the range or the result size of one `eth_getLogs`; on an error the
 * range is halved and retried down to a single block, then the error is thrown.
 */
export async function scanLogs(
  provider: Provider,
  filter: Omit<Filter, 'fromBlock' | 'toBlock'>,
  fromBlock: number,
  toBlock: number,
  options: ScanLogsOptions = {},
): Promise<Log[]> {
  let step = options.blocksPerRequest ?? 10_000;
  const logs: Log[] = [];
  let start = fromBlock;
  while (start <= toBlock) {
    const end = Math.min(toBlock, start + step - 1);
    try {
      logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
      start = end + 1;
    } catch (error) {
      if (step === 1) throw error;
      step = Math.max(1, Math.floor(step / 2));
    }
  }
  return logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
}
