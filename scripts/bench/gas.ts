import { createHash, randomInt } from 'node:crypto';
import { Contract, Wallet, hexlify, type Signer } from 'ethers';
import {
  AUDIT_ANCHOR_ABI,
  STATUS_REGISTRY_ABI,
  StatusListWriter,
  StatusOperation,
  StatusPurpose,
  TRANSACTION_GAS_CAP,
  merkleRoot,
  normalizeIndexes,
  packIndexes,
} from '../../libs/credentials/src/index.js';
import { deployContract, deployRegistries, loadArtifact } from '../lib/deploy.js';

/** One row of the gas benchmark. */
export interface GasRow {
  batch: number;
  /** What the status writer sends (sorted gaps or packed indexes, whichever costs less calldata). */
  gasPerCredential: number;
  baselineGasPerCredential: number;
  transactions: number;
  baselineTransactions: number;
  /** `update` with packed 3-byte indexes, what the writer sent before `updateSorted` (same indexes, same run). */
  packedGasPerCredential?: number;
}

/** The revocation row of issue 14: 1,000 random indexes of a 131,072-entry list, beside the naive bitmap. */
export interface RevocationGasRow {
  indexes: number;
  listSize: number;
  gasPerCredential: number;
  baselineGasPerCredential: number;
  packedGasPerCredential?: number;
}

/** The gas benchmark's result, as written to bench-results/gas.json. */
export interface GasResult {
  listSize: number;
  rows: GasRow[];
  revocation?: RevocationGasRow;
  /** Audit anchoring, e.g. `{"auditBatch": 1000, "gasPerEntry": 42.4, …}`. */
  audit?: AuditGasRow[];
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
  const registry = new Contract(statusRegistry, STATUS_REGISTRY_ABI, signer);
  const size = 2 ** LIST_SIZE_LOG2;
  const rows: GasRow[] = [];
  for (const [i, batch] of batches.entries()) {
    // Fresh lists per batch, so every batch starts from the same empty state in both registries.
    const listId = 2 * i + 1;
    await writer.createList(identity, listId, StatusPurpose.Revocation, LIST_SIZE_LOG2);
    await writer.createList(identity, listId + 1, StatusPurpose.Revocation, LIST_SIZE_LOG2);
    const indexes = distinctRandom(batch, size);
    const ours = await writer.update(identity, listId, StatusOperation.Set, indexes);
    // The previous encoding, one transaction (every batch here fits one).
    const packedTx = await registry.getFunction('update')(identity, listId + 1, StatusOperation.Set, hexlify(packIndexes(normalizeIndexes(indexes))));
    const packedGas = (await packedTx.wait())!.gasUsed;

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
      packedGasPerCredential: Math.round(Number(packedGas) / batch),
    };
    rows.push(row);
    log(`gas: batch ${batch} done (${row.gasPerCredential} vs ${row.baselineGasPerCredential} gas per credential; packed indexes ${row.packedGasPerCredential})`);
  }
  const thousand = rows.find((r) => r.batch === 1_000);
  const revocation = thousand
    ? {
        indexes: thousand.batch,
        listSize: size,
        gasPerCredential: thousand.gasPerCredential,
        baselineGasPerCredential: thousand.baselineGasPerCredential,
        packedGasPerCredential: thousand.packedGasPerCredential,
      }
    : undefined;
  return { listSize: size, rows, ...(revocation ? { revocation } : {}) };
}

/** The result as a printable table. */
export function formatGasTable(result: GasResult): string {
  const lines = [
    `Status change gas, random indexes in a ${result.listSize.toLocaleString('en')}-entry list (lower is better)`,
    '| batch | govcred gas/credential | txs | packed 3-byte indexes | naive bitmap gas/credential | txs | naive ÷ govcred |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.batch.toLocaleString('en')} | ${r.gasPerCredential.toLocaleString('en')} | ${r.transactions} | ` +
        `${r.packedGasPerCredential?.toLocaleString('en') ?? '–'} | ` +
        `${r.baselineGasPerCredential.toLocaleString('en')} | ${r.baselineTransactions} | ` +
        `${(r.baselineGasPerCredential / r.gasPerCredential).toFixed(1)}× |`,
    );
  }
  return lines.join('\n');
}

/** One audit anchoring row of bench-results/gas.json. */
export interface AuditGasRow {
  auditBatch: number;
  /** Gas of one steady-state anchor (the stream exists) divided by the entries it covers. */
  gasPerEntry: number;
  /** The same for a stream's very first anchor, which also creates its storage. */
  firstAnchorGasPerEntry: number;
  anchorGas: number;
}

/**
 * Anchors audit batches with the AuditAnchor contract: per batch size a fresh stream, its first anchor and a
 * second one (the steady state), each a full transaction (21,000 base, calldata, the ERC-1056 owner lookup).
 * The Merkle root is computed over real sha256 entry hashes, as the issuer does.
 */
export async function runAuditGasBench(signer: Signer, batches: number[], log: (line: string) => void): Promise<AuditGasRow[]> {
  const { auditAnchor } = await deployRegistries(signer);
  const contract = new Contract(auditAnchor, AUDIT_ANCHOR_ABI, signer);
  const rows: AuditGasRow[] = [];
  for (const batch of batches) {
    // A fresh stream per batch: a new random identity (its own ERC-1056 owner) funded by the bench signer.
    const identity = Wallet.createRandom().connect(signer.provider);
    await (await signer.sendTransaction({ to: identity.address, value: 10n ** 18n })).wait();
    const gas: bigint[] = [];
    for (let i = 0; i < 2; i++) {
      const hashes = Array.from({ length: batch }, (_, j) => createHash('sha256').update(`entry ${i * batch + j}`).digest('hex'));
      const tx = await (contract.connect(identity) as Contract).getFunction('anchor')(identity.address, i * batch + 1, batch, merkleRoot(hashes));
      gas.push((await tx.wait())!.gasUsed);
    }
    const row = {
      auditBatch: batch,
      gasPerEntry: Math.round((Number(gas[1]) / batch) * 10) / 10,
      firstAnchorGasPerEntry: Math.round((Number(gas[0]) / batch) * 10) / 10,
      anchorGas: Number(gas[1]),
    };
    rows.push(row);
    log(`gas: audit anchor of ${batch} entries: ${row.anchorGas} gas, ${row.gasPerEntry} per entry (first anchor ${row.firstAnchorGasPerEntry})`);
  }
  return rows;
}
