import { randomInt } from 'node:crypto';
import type { Signer } from 'ethers';
import { StatusListWriter, StatusMirror, StatusOperation, StatusPurpose, createProvider } from '../../libs/credentials/src/index.js';
import { deployRegistries, type RegistryDeployment } from '../lib/deploy.js';

/** The mirror benchmark's result. */
export interface MirrorResult {
  /** Entries held by the mirror across all lists. */
  credentials: number;
  lists: number;
  /** Status changes written (and replayed by the cold sync). */
  statusChanges: number;
  /** Resident memory the process grew by during the sync, MB (includes transient JSON buffers). */
  rssMb: number;
  /** Memory still held after garbage collection (heap + buffers), MB: what the mirror keeps. */
  retainedMb: number;
  coldSyncSeconds: number;
  /** Resident memory of a verifier service process whose status mirror holds them all, MB. */
  serviceRssMb?: number;
  /** Seconds from starting that verifier process until it answers (a worker's mirrors synced, HTTP listening). */
  serviceColdSyncSeconds?: number;
  /** …and until every worker answers (the cluster starts one worker, the others once it listens). */
  serviceEveryWorkerSeconds?: number;
  /** RSS of that service's cluster primary and of each worker (each holds its own mirrors), MB. */
  serviceRssByProcessMb?: { primaryMb: number; childrenMb: number[] };
  /** The same service as one process (VERIFIER_CLUSTER_WORKERS=1): RSS, MB, and seconds until it answers. */
  singleProcessRssMb?: number;
  singleProcessColdSyncSeconds?: number;
  /** The registries holding the entries (for a service started against them). */
  deployment?: RegistryDeployment;
}

/**
 * Fills a StatusRegistry with `credentials` entries (lists of 2^24 and the remainder in 2^17 lists), sets
 * `changeRatio` of them at random, then times a fresh mirror's cold sync from the deployment block and the
 * memory it holds. Memory is the process RSS growth around the sync (the chain runs in another process).
 */
export async function runMirrorBench(
  signer: Signer,
  rpcUrl: string,
  options: { credentials: number; changeRatio: number },
  log: (line: string) => void,
): Promise<MirrorResult> {
  const identity = await signer.getAddress();
  const deployment = await deployRegistries(signer);
  const writer = new StatusListWriter({ registry: deployment.statusRegistry, signer });
  const sizes: number[] = [];
  let remaining = options.credentials;
  while (remaining > 0) {
    const sizeLog2 = remaining >= 2 ** 24 ? 24 : remaining >= 2 ** 20 ? 20 : 17;
    sizes.push(sizeLog2);
    remaining -= 2 ** sizeLog2;
  }
  let changes = 0;
  for (const [i, sizeLog2] of sizes.entries()) {
    await writer.createList(identity, i + 1, StatusPurpose.Revocation, sizeLog2);
    const count = Math.round(2 ** sizeLog2 * options.changeRatio);
    const indexes = new Set<number>();
    while (indexes.size < count) indexes.add(randomInt(0, 2 ** sizeLog2));
    await writer.update(identity, i + 1, StatusOperation.Set, indexes);
    changes += count;
  }
  const entries = sizes.reduce((n, s) => n + 2 ** s, 0);
  log(`mirror: ${entries.toLocaleString('en')} entries in ${sizes.length} lists, ${changes.toLocaleString('en')} changes written`);

  const provider = createProvider(rpcUrl, 31337);
  const held = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const heldBefore = held();
  const started = performance.now();
  const mirror = new StatusMirror({ provider, registry: deployment.statusRegistry, chainId: 31337, fromBlock: deployment.deployBlock });
  const report = await mirror.sync();
  const coldSyncSeconds = (performance.now() - started) / 1000;
  // Twice, with a pause: array buffers of the sync's answers are freed after the collection that found them dead.
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  global.gc?.();
  const rssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  const retainedMb = (held() - heldBefore) / 2 ** 20;
  if (report.staleLists !== 0 || mirror.entryCount !== entries) throw new Error('mirror bench: the mirror did not verify every list');
  provider.destroy();
  if (mirror.lookup(identity, 1, 0) === 'unknown') throw new Error('mirror bench: lookups answer unknown');
  return {
    credentials: entries,
    lists: sizes.length,
    statusChanges: changes,
    rssMb: Math.round(rssMb * 10) / 10,
    retainedMb: Math.round(retainedMb * 10) / 10,
    coldSyncSeconds: Math.round(coldSyncSeconds * 100) / 100,
    deployment,
  };
}
