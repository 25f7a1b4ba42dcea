import { Contract, hexlify, type ContractRunner, type TransactionReceipt } from 'ethers';
import { STATUS_REGISTRY_ABI } from '../chain/abi.js';
import { TRANSACTION_GAS_CAP } from '../chain/provider.js';
import {
  DEFAULT_SIZE_LOG2,
  INDEX_BYTES,
  StatusOperation,
  StatusPurpose,
  calldataGas,
  encodeSortedGaps,
  normalizeIndexes,
  packIndexes,
} from './status-codec.js';

/** Largest transaction most JSON-RPC nodes accept into their pool (geth/Besu: 128 KiB). */
export const MAX_TRANSACTION_BYTES = 128 * 1024;
/** Upper bound of the gas one index costs in `update`, EIP-7623 calldata floor included (measured ~120). */
export const GAS_PER_INDEX_UPPER_BOUND = 200;
/** Fixed cost of an `update` transaction outside its indexes, with margin (measured ~50,000). */
export const UPDATE_BASE_GAS = 100_000;

/**
 * How many indexes one `update` transaction may carry so that it stays under both the per-transaction gas
 * cap and the node's transaction size limit, with room to spare.
 */
export function maxIndexesPerTransaction(
  gasCap = TRANSACTION_GAS_CAP,
  maxTransactionBytes = MAX_TRANSACTION_BYTES,
): number {
  const byGas = Math.floor((gasCap - UPDATE_BASE_GAS) / GAS_PER_INDEX_UPPER_BOUND);
  // Leave 4 KiB for the rest of the transaction (signature, ABI head, other arguments).
  const byBytes = Math.floor((maxTransactionBytes - 4096) / INDEX_BYTES);
  return Math.max(1, Math.min(byGas, byBytes));
}

/** Options of {@link StatusListWriter}. */
export interface StatusListWriterOptions {
  /** StatusRegistry address. */
  registry: string;
  /** Signs as the current ERC-1056 owner of the lists' identity. */
  signer: ContractRunner;
  /** Indexes per transaction. @default maxIndexesPerTransaction() */
  maxIndexesPerTransaction?: number;
}

/** One title transfer as `StatusRegistry.supersede` takes it (hashes and list positions only). */
export interface TitleTransferInput {
  /** Random 32-byte id of the title (0x hex). */
  titleId: string;
  /** keccak256 of the superseded credential's compact JWT. */
  predecessor: string;
  /** keccak256 of the new credential's compact JWT. */
  successor: string;
  predecessorIndex: number;
  successorIndex: number;
}

/** Transfers per `supersede` transaction: each costs ~5,000 gas (an event of ~200 bytes), far below the cap. */
export const MAX_TRANSFERS_PER_TRANSACTION = 500;

/** Result of one logical update, possibly spread over several transactions. */
export interface StatusUpdateResult {
  /** Receipts in the order the transactions were mined. */
  receipts: TransactionReceipt[];
  /** Distinct indexes written. */
  indexCount: number;
  /** Gas used by all transactions together. */
  gasUsed: bigint;
}

/**
 * Writes status changes to a StatusRegistry, splitting large batches into as many transactions as the
 * gas cap and transaction size limit require. Transactions are sent one after another, each awaited, so
 * list versions advance in order.
 */
export class StatusListWriter {
  readonly contract: Contract;
  readonly chunkSize: number;

  constructor(options: StatusListWriterOptions) {
    this.contract = new Contract(options.registry, STATUS_REGISTRY_ABI, options.signer);
    this.chunkSize = options.maxIndexesPerTransaction ?? maxIndexesPerTransaction();
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) throw new RangeError('maxIndexesPerTransaction must be >= 1');
  }

  /** Creates list `listId` owned by `identity`. */
  async createList(
    identity: string,
    listId: bigint | number,
    purpose: StatusPurpose,
    sizeLog2 = DEFAULT_SIZE_LOG2,
  ): Promise<TransactionReceipt> {
    const tx = await this.contract.getFunction('createList')(identity, listId, purpose, sizeLog2);
    return (await tx.wait())!;
  }

  /**
   * Sets (or, on a suspension list, clears) the given entries: per transaction, as `updateSorted` gaps when they
   * cost less calldata than packed 3-byte indexes (any batch of more than a few random indexes), else `update`.
   * @param indexes Entries to change; duplicates are dropped and the rest sorted.
   */
  async update(
    identity: string,
    listId: bigint | number,
    operation: StatusOperation,
    indexes: Iterable<number>,
  ): Promise<StatusUpdateResult> {
    const sorted = normalizeIndexes(indexes);
    const receipts: TransactionReceipt[] = [];
    let gasUsed = 0n;
    for (let start = 0; start < sorted.length; start += this.chunkSize) {
      const chunk = sorted.slice(start, start + this.chunkSize);
      const packed = packIndexes(chunk);
      const gaps = encodeSortedGaps(chunk);
      const tx =
        calldataGas(gaps) < calldataGas(packed)
          ? await this.contract.getFunction('updateSorted')(identity, listId, operation, hexlify(gaps))
          : await this.contract.getFunction('update')(identity, listId, operation, hexlify(packed));
      const receipt: TransactionReceipt = (await tx.wait())!;
      receipts.push(receipt);
      gasUsed += receipt.gasUsed;
    }
    return { receipts, indexCount: sorted.length, gasUsed };
  }

  /**
   * Records title transfers: sets each predecessor's entry of superseded list `listId` and links it to its
   * successor on chain, in transactions of at most {@link MAX_TRANSFERS_PER_TRANSACTION}. Repeating a transfer
   * (after a crash between sending and recording) sets nothing new and repeats a link readers de-duplicate.
   */
  async supersede(identity: string, listId: bigint | number, transfers: readonly TitleTransferInput[]): Promise<StatusUpdateResult> {
    const receipts: TransactionReceipt[] = [];
    let gasUsed = 0n;
    const size = Math.min(this.chunkSize, MAX_TRANSFERS_PER_TRANSACTION);
    for (let start = 0; start < transfers.length; start += size) {
      const chunk = transfers.slice(start, start + size);
      // Not sorted or de-duplicated: transfer i belongs to index i.
      const packed = packIndexes(chunk.map((t) => normalizeIndexes([t.predecessorIndex])[0]));
      const tx = await this.contract.getFunction('supersede')(identity, listId, hexlify(packed), chunk.map((t) => ({ ...t })));
      const receipt: TransactionReceipt = (await tx.wait())!;
      receipts.push(receipt);
      gasUsed += receipt.gasUsed;
    }
    return { receipts, indexCount: transfers.length, gasUsed };
  }
}
