import { createHash } from 'node:crypto';

/**
 * The Merkle tree of audit anchors: RFC 9162 §2.1 (Certificate Transparency v2), sha256, over the entries'
 * 32-byte hashes in sequence order. Leaves are `sha256(0x00 ‖ entryHash)` and inner nodes
 * `sha256(0x01 ‖ left ‖ right)`: the prefixes keep a leaf from ever passing for a node (second-preimage
 * safe), and the tree is split at the largest power of two below its size, so no leaf is duplicated and
 * every size has exactly one tree. sha256 matches the entry hashes. Written here rather than taken from a
 * library because the well-kept ones (e.g. @openzeppelin/merkle-tree) build a different, sorted-pair
 * keccak tree, and the RFC algorithms are a few lines each.
 */

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** Hex (with or without 0x) to bytes; 32-byte values only. */
function bytes32(hex: string): Buffer {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw new TypeError(`not a 32-byte hex value: ${hex.slice(0, 80)}`);
  return Buffer.from(clean, 'hex');
}

const hex0x = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** RFC 9162 leaf hash of an entry hash. */
export function merkleLeaf(entryHash: string): Buffer {
  return sha256(LEAF, bytes32(entryHash));
}

/** Largest power of two strictly below n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function treeHash(leaves: Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return leaves[from];
  const k = split(n);
  return sha256(NODE, treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
}

/**
 * The Merkle tree hash (0x-hex) over entry hashes in order (RFC 9162 §2.1.1).
 * @throws RangeError on an empty list (an anchor covers at least one entry).
 */
export function merkleRoot(entryHashes: readonly string[]): string {
  if (entryHashes.length === 0) throw new RangeError('a Merkle root needs at least one entry');
  return hex0x(treeHash(entryHashes.map(merkleLeaf), 0, entryHashes.length));
}

/** The inclusion path (0x-hex, leaf to root) of entry `index` among `entryHashes` (RFC 9162 §2.1.3.1). */
export function merklePath(entryHashes: readonly string[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= entryHashes.length) throw new RangeError(`index ${index} outside the tree`);
  const leaves = entryHashes.map(merkleLeaf);
  const path: Buffer[] = [];
  const walk = (m: number, from: number, to: number): void => {
    if (to - from === 1) return;
    const k = split(to - from);
    if (m < k) {
      walk(m, from, from + k);
      path.push(treeHash(leaves, from + k, to));
    } else {
      walk(m - k, from + k, to);
      path.push(treeHash(leaves, from, from + k));
    }
  };
  walk(index, 0, leaves.length);
  return path.map(hex0x);
}

/**
 * Whether `path` proves entry `index` (with hash `entryHash`) in the tree of `size` entries with `root`:
 * RFC 9162 §2.1.3.2, step for step. Never throws on malformed input; it answers false.
 */
export function verifyMerklePath(entryHash: string, index: number, size: number, path: readonly string[], root: string): boolean {
  try {
    if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
    let fn = BigInt(index);
    let sn = BigInt(size - 1);
    let r = merkleLeaf(entryHash);
    for (const p of path) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = sha256(NODE, bytes32(p), r);
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        r = sha256(NODE, r, bytes32(p));
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && r.equals(bytes32(root));
  } catch {
    return false;
  }
}
