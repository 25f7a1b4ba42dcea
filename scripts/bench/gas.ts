import { randomInt } from 'node:crypto';
import { Contract, type Signer } from 'ethers';
import { StatusListWriter, StatusOperation, StatusPurpose, TRANSACTION_GAS_CAP } from '../../libs/credentials/src/index.js';
import { deployContract, deployRegistries, loadArtifact } from '../lib/deploy.js';

/** One row of the gas benchmark. */
export interface GasRow {
  batch: number;
  gasPerCredential: number;
  baselineGasPerCredential: number;
  transactions: number;
  baselineTransactions: number;
}

/** The gas benchmark's result, as written to bench-results/gas.json. */
export interface GasResult {
  listSize: number;
  rows: GasRow[];
}

const LIST_SIZE_LOG2 = 17;
/** Indexes per baseline transaction: ~23,000 gas each keeps a transaction under the 16.7 M cap. */
const BASELINE_CHUNK = 500;

function distinctRandom(count: number, size: number): number[] {
  const set = new Set<number>();
  while (set.size < count) set.add(randomInt(0, size));
  return [...set];
}

/**
 * Revokes batches of random indexes of a 131,072-entry list with the StatusRegistry and with a naive
 * one-storage-write-per-change registry, on the same chain in the same run; gas per credential includes
 * each transaction's full cost (21,000 base, calldata, execution).
 */
export async function runGasBench(signer: Signer, batches: number[], log: (line: string) => void): Promise<GasResult> {
  const identity = await signer.getAddress();
  const { statusRegistry } = await deployRegistries(signer);
  const naive = new Contract(await deployContract('NaiveStatusRegistry', signer), loadArtifact('NaiveStatusRegistry').abi as never, signer);
  const writer = new StatusListWriter({ registry: statusRegistry, signer });
  const size = 2 ** LIST_SIZE_LOG2;
  const rows: GasRow[] = [];
  for (const [i, batch] of batches.entries()) {
    // A fresh list per batch, so every batch starts from the same empty state in both registries.
    const listId = i + 1;
    await writer.createList(identity, listId, StatusPurpose.Revocation, LIST_SIZE_LOG2);
    const indexes = distinctRandom(batch, size);
    const ours = await writer.update(identity, listId, StatusOperation.Set, indexes);

    let baselineGas = 0n;
    let baselineTransactions = 0;
    for (let start = 0; start < indexes.length; start += BASELINE_CHUNK) {
      const tx = await naive.getFunction('revoke')(listId, indexes.slice(start, start + BASELINE_CHUNK), {
        gasLimit: TRANSACTION_GAS_CAP,
      });
      baselineGas += (await tx.wait())!.gasUsed;
      baselineTransactions++;
    }
    const row: GasRow = {
      batch,
      gasPerCredential: Math.round(Number(ours.gasUsed) / batch),
      baselineGasPerCredential: Math.round(Number(baselineGas) / batch),
      transactions: ours.receipts.length,
      baselineTransactions,
    };
    rows.push(row);
    log(`gas: batch ${batch} done (${row.gasPerCredential} vs ${row.baselineGasPerCredential} gas per credential)`);
  }
  return { listSize: size, rows };
}

/** The result as a printable table. */
export function formatGasTable(result: GasResult): string {
  const lines = [
    `Status change gas, random indexes in a ${result.listSize.toLocaleString('en')}-entry list (lower is better)`,
    '| batch | govcred gas/credential | txs | naive bitmap gas/credential | txs | naive ÷ govcred |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.batch.toLocaleString('en')} | ${r.gasPerCredential.toLocaleString('en')} | ${r.transactions} | ` +
        `${r.baselineGasPerCredential.toLocaleString('en')} | ${r.baselineTransactions} | ` +
        `${(r.baselineGasPerCredential / r.gasPerCredential).toFixed(1)}× |`,
    );
  }
  return lines.join('\n');
}
