import { AbiCoder, concat, getBytes, keccak256 } from 'ethers';

/**
 * Encoding shared by the StatusRegistry contract and its off-chain readers and writers.
 * See contracts/StatusRegistry.sol for the on-chain half.
 */

/** What the entries of a list mean; values match `StatusRegistry.Purpose`. */
export enum StatusPurpose {
  /** Set entries are revoked, for good. */
  Revocation = 0,
  /** Set entries are suspended until cleared. */
  Suspension = 1,
  /** Set entries were superseded by a title transfer, for good (property lists). */
  Superseded = 2,
  /** Set entries are encumbered (mortgaged) until cleared (property lists). */
  Encumbered = 3,
}

/** Purposes whose entries can never be cleared. */
export const FINAL_PURPOSES: ReadonlySet<StatusPurpose> = new Set([StatusPurpose.Revocation, StatusPurpose.Superseded]);

/** What an update does; values match `StatusRegistry.Operation`. */
export enum StatusOperation {
  Set = 0,
  Clear = 1,
}

/** Bytes per packed index. */
export const INDEX_BYTES = 3;
/** Smallest list: 2^17 = 131,072 entries (herd privacy). */
export const MIN_SIZE_LOG2 = 17;
/** Largest list: 2^24 entries, what 3-byte indexes hold. */
export const MAX_SIZE_LOG2 = 24;
/** The default list size used by govcred: 2^17 = 131,072 entries. @default 17 */
export const DEFAULT_SIZE_LOG2 = MIN_SIZE_LOG2;

/** Purpose names, as used in `credentialStatus.statusPurpose` (W3C's two, and govcred's property purposes). */
export type StatusPurposeName = 'revocation' | 'suspension' | 'superseded' | 'encumbered';

/** Name of each purpose. */
export const PURPOSE_NAMES: Record<StatusPurpose, StatusPurposeName> = {
  [StatusPurpose.Revocation]: 'revocation',
  [StatusPurpose.Suspension]: 'suspension',
  [StatusPurpose.Superseded]: 'superseded',
  [StatusPurpose.Encumbered]: 'encumbered',
};

/**
 * Sorts and de-duplicates indexes, checking each is an integer in [0, 2^sizeLog2).
 * @throws RangeError on an index that is not an integer in range (caller misuse).
 */
export function normalizeIndexes(indexes: Iterable<number>, sizeLog2 = MAX_SIZE_LOG2): number[] {
  const size = 2 ** sizeLog2;
  const unique = new Set<number>();
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`status index ${index} is not an integer in [0, ${size})`);
    }
    unique.add(index);
  }
  return [...unique].sort((a, b) => a - b);
}

/** Packs indexes as concatenated 3-byte big-endian integers, the contract's `indexes` argument. */
export function packIndexes(indexes: readonly number[]): Uint8Array {
  const out = new Uint8Array(indexes.length * INDEX_BYTES);
  indexes.forEach((index, i) => {
    out[i * 3] = (index >>> 16) & 0xff;
    out[i * 3 + 1] = (index >>> 8) & 0xff;
    out[i * 3 + 2] = index & 0xff;
  });
  return out;
}

/** Reads packed 3-byte indexes back. */
export function unpackIndexes(packed: Uint8Array): number[] {
  if (packed.length % INDEX_BYTES !== 0) throw new RangeError(`packed indexes length ${packed.length} is not a multiple of 3`);
  const out = new Array<number>(packed.length / INDEX_BYTES);
  for (let i = 0; i < out.length; i++) {
    out[i] = (packed[i * 3] << 16) | (packed[i * 3 + 1] << 8) | packed[i * 3 + 2];
  }
  return out;
}

/** The head after an update: `keccak256(head ‖ uint8(operation) ‖ indexes)`, as the contract computes it. */
export function nextHead(head: string, operation: StatusOperation, packedIndexes: Uint8Array): string {
  return keccak256(concat([getBytes(head), new Uint8Array([operation]), packedIndexes]));
}

/** The genesis head of a list, as `StatusRegistry.createList` computes it. */
export function genesisHead(
  chainId: bigint | number,
  registry: string,
  identity: string,
  listId: bigint | number,
  purpose: StatusPurpose,
  sizeLog2: number,
): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['uint256', 'address', 'address', 'uint64', 'uint8', 'uint8'],
      [chainId, registry, identity, listId, purpose, sizeLog2],
    ),
  );
}
