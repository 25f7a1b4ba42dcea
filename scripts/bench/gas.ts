import { createHash, randomInt } from 'node:crypto';
import { Contract, Wallet, encodeBytes32String, hexlify, type Signer } from 'ethers';
import {
  AUDIT_ANCHOR_ABI,
  ERC1056_ABI,
  SIGNING_KEY_ATTRIBUTE,
  STATUS_REGISTRY_ABI,
  STATUS_WRITER_DELEGATE,
  erc1056SignedCalldata,
  erc1056SignedHash,
  type Erc1056Call,
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
  /** One transaction of every key-hierarchy and status operation, e.g. `{"operation": "update by writer", "gas": 40123}`. */
  operations?: OperationGasRow[];
}

/** The full gas of one transaction (21,000 base, calldata, execution) of one operation. */
export interface OperationGasRow {
  operation: string;
  gas: number;
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

/**
 * One transaction of every operation of an agency's key hierarchy, each with its full gas: the ERC-1056 calls
 * governance signs and the issuer relays (`*Signed`), the owner's own calls, and the StatusRegistry calls by
 * owner and by status writer (one index / one transfer: the fixed cost the access check adds to).
 */
export async function runOperationGasBench(signer: Signer, log: (line: string) => void): Promise<OperationGasRow[]> {
  const { didRegistry, statusRegistry } = await deployRegistries(signer);
  const fund = async <W extends { address: string }>(wallet: W) => {
    await (await signer.sendTransaction({ to: wallet.address, value: 10n ** 18n })).wait();
    return wallet;
  };
  const provider = signer.provider!;
  const identity = await fund(Wallet.createRandom().connect(provider));
  const governance = Wallet.createRandom();
  const writer = await fund(Wallet.createRandom().connect(provider));
  const dids = new Contract(didRegistry, ERC1056_ABI, identity);
  const status = new Contract(statusRegistry, STATUS_REGISTRY_ABI, identity);
  const rows: OperationGasRow[] = [];
  const measure = async (operation: string, tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => {
    const gas = Number((await (await tx).wait())!.gasUsed);
    rows.push({ operation, gas });
    log(`gas: ${operation}: ${gas}`);
  };
  const year = 365n * 86_400n;
  const key = (w: { signingKey: { compressedPublicKey: string } }) => w.signingKey.compressedPublicKey;
  const transfer = { titleId: `0x${'ab'.repeat(32)}`, predecessor: `0x${'11'.repeat(32)}`, successor: `0x${'22'.repeat(32)}`, predecessorIndex: 7, successorIndex: 8 };

  // Creation, sent by the one-time identity key itself.
  await measure('ERC-1056 addDelegate (status writer)', dids.getFunction('addDelegate')(identity.address, encodeBytes32String(STATUS_WRITER_DELEGATE), writer.address, 90n * 86_400n));
  await measure('ERC-1056 setAttribute (signing key)', dids.getFunction('setAttribute')(identity.address, encodeBytes32String(SIGNING_KEY_ATTRIBUTE), key(Wallet.createRandom()), 2n * year));
  await measure('StatusRegistry createList (owner)', status.getFunction('createList')(identity.address, 1, 1, 17));
  await measure('StatusRegistry createList (owner), superseded', status.getFunction('createList')(identity.address, 3, 2, 17));
  await measure('StatusRegistry update, 1 index (owner)', status.getFunction('update')(identity.address, 1, 0, hexlify(packIndexes([5]))));
  await measure('StatusRegistry update, 1 index (status writer)', (status.connect(writer) as Contract).getFunction('update')(identity.address, 1, 1, hexlify(packIndexes([5]))));
  await measure('StatusRegistry supersede, 1 transfer (owner; the identity\'s first transfer, which creates its counter)', status.getFunction('supersede')(identity.address, 3, hexlify(packIndexes([7])), [transfer]));
  await measure('StatusRegistry supersede, 1 transfer (status writer)', (status.connect(writer) as Contract).getFunction('supersede')(identity.address, 3, hexlify(packIndexes([9])), [{ ...transfer, predecessorIndex: 9 }]));
  await measure('ERC-1056 changeOwner (to governance)', dids.getFunction('changeOwner')(identity.address, governance.address));

  // Governance-signed calls relayed by the issuer (the writer account pays the gas).
  const relay = async (operation: string, call: Erc1056Call) => {
    const nonce = (await dids.getFunction('nonce')(governance.address)) as bigint;
    const signature = governance.signingKey.sign(erc1056SignedHash(didRegistry, nonce, identity.address, call)).serialized;
    await measure(operation, writer.sendTransaction({ to: didRegistry, data: erc1056SignedCalldata(identity.address, call, signature) }));
  };
  const next = key(Wallet.createRandom());
  await relay('ERC-1056 setAttributeSigned (rotation: next signing key)', { method: 'setAttribute', name: SIGNING_KEY_ATTRIBUTE, value: next, validity: 2n * year });
  await relay('ERC-1056 addDelegateSigned (writer renewal)', { method: 'addDelegate', delegateType: STATUS_WRITER_DELEGATE, delegate: Wallet.createRandom().address, validity: 90n * 86_400n });
  await relay('ERC-1056 revokeAttributeSigned (compromised signing key)', { method: 'revokeAttribute', name: SIGNING_KEY_ATTRIBUTE, value: next });
  await relay('ERC-1056 revokeDelegateSigned (compromised writer)', { method: 'revokeDelegate', delegateType: STATUS_WRITER_DELEGATE, delegate: writer.address });
  return rows;
}
