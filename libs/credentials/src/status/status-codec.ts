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

/**
 * Or-ed into the operation byte of the head after a sorted update (`StatusRegistry.SORTED_HEAD_FLAG`): a packed
 * and a sorted update never hash alike.
 */
export const SORTED_HEAD_FLAG = 0x80;
/** Most bytes of one gap in a sorted update (4 × 7 bits hold every gap of a 2^24-entry list). */
export const MAX_GAP_BYTES = 4;

/**
 * Encodes strictly increasing indexes as `StatusRegistry.updateSorted` takes them: LEB128 varints (7 bits a byte,
 * low group first, high bit set on every byte but a gap's last), the first `index₀ + 1`, then `indexᵢ − indexᵢ₋₁`.
 * Random indexes of a 2^17 list cost ~1.4 bytes each this way instead of 3, and none of the bytes is zero.
 * @throws RangeError unless `sorted` is non-empty, strictly increasing, of integers in [0, 2^24) (caller misuse).
 */
export function encodeSortedGaps(sorted: readonly number[]): Uint8Array {
  if (sorted.length === 0) throw new RangeError('no indexes to encode');
  const out = new Uint8Array(sorted.length * MAX_GAP_BYTES);
  let length = 0;
  let previous = -1;
  for (const index of sorted) {
    if (!Number.isInteger(index) || index <= previous || index >= 2 ** MAX_SIZE_LOG2) {
      throw new RangeError(`status indexes must be strictly increasing integers below 2^24 (got ${index} after ${previous})`);
    }
    let gap = index - previous;
    previous = index;
    while (gap >= 0x80) {
      out[length++] = (gap & 0x7f) | 0x80;
      gap >>>= 7;
    }
    out[length++] = gap;
  }
  return out.slice(0, length);
}

/**
 * Reads the gaps of a sorted update back into indexes, with the contract's checks: every gap at least 1 and in
 * shortest form (no zero byte), at most {@link MAX_GAP_BYTES} bytes, none cut off, every index below 2^sizeLog2.
 * Bounded by the input (at most one index a byte) and never throws: `undefined` for gaps the contract would have
 * refused (a reader treats such a log as an inconsistency, never as data).
 */
export function decodeSortedGaps(gaps: Uint8Array, sizeLog2: number): number[] | undefined {
  const size = 2 ** sizeLog2;
  const out: number[] = [];
  let index = -1;
  let gap = 0;
  let position = 0;
  for (const byte of gaps) {
    if (byte === 0 || position === MAX_GAP_BYTES) return undefined;
    gap += (byte & 0x7f) * 2 ** (7 * position);
    if (byte & 0x80) {
      position++;
      continue;
    }
    index += gap;
    if (index >= size) return undefined;
    out.push(index);
    gap = 0;
    position = 0;
  }
  return position === 0 && out.length > 0 ? out : undefined;
}

/** The head after a sorted update: `keccak256(head ‖ uint8(operation) | 0x80 ‖ gaps)`, as the contract computes it. */
export function nextSortedHead(head: string, operation: StatusOperation, gaps: Uint8Array): string {
  return keccak256(concat([getBytes(head), new Uint8Array([operation | SORTED_HEAD_FLAG]), gaps]));
}

/**
 * Calldata gas of `bytes` (EIP-2028: 4 a zero byte, 16 any other; EIP-7623's floor is proportional to the same
 * weights), to choose the cheaper of two encodings.
 */
export function calldataGas(bytes: Uint8Array): number {
  let gas = 0;
  for (const byte of bytes) gas += byte === 0 ? 4 : 16;
  return gas;
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
