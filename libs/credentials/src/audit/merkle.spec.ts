import { createHash } from 'node:crypto';
import { merklePath, merkleRoot, verifyMerklePath } from './merkle.js';

const h = (i: number) => createHash('sha256').update(`entry ${i}`).digest('hex');
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

describe('RFC 9162 Merkle tree over audit entry hashes', () => {
  test('one and three leaves follow the RFC definition (leaf 0x00, node 0x01, split at the largest power of two)', () => {
    const leaf = (i: number) => sha(Buffer.of(0), Buffer.from(h(i), 'hex'));
    expect(merkleRoot([h(0)])).toBe(`0x${leaf(0).toString('hex')}`);
    const three = sha(Buffer.of(1), sha(Buffer.of(1), leaf(0), leaf(1)), leaf(2));
    expect(merkleRoot([h(0), h(1), h(2)])).toBe(`0x${three.toString('hex')}`);
  });

  test('every leaf of every tree size up to 33 has a path that verifies, and only at its own place', () => {
    for (let size = 1; size <= 33; size++) {
      const hashes = Array.from({ length: size }, (_, i) => h(i));
      const root = merkleRoot(hashes);
      for (let i = 0; i < size; i++) {
        const path = merklePath(hashes, i);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyMerklePath(hashes[i], i, size, path, root)).toBe(true);
        if (size > 1) {
          expect(verifyMerklePath(hashes[i], (i + 1) % size, size, path, root)).toBe(false);
          expect(verifyMerklePath(hashes[(i + 1) % size], i, size, path, root)).toBe(false);
        }
      }
    }
  });

  test('a node cannot pass for a leaf (domain separation)', () => {
    const hashes = [h(0), h(1), h(2), h(3)];
    const root = merkleRoot(hashes);
    const inner = merklePath(hashes, 0)[1]; // hash of the node over leaves 2 and 3
    // Claiming that inner node as a "leaf" of a 2-leaf tree fails: leaves are hashed with the 0x00 prefix.
    expect(verifyMerklePath(inner.slice(2), 1, 2, [merklePath(hashes, 2)[1]], root)).toBe(false);
  });

  test.each([
    ['not hex', 'zz', 0, 1, []],
    ['negative index', h(0), -1, 1, []],
    ['index past size', h(0), 1, 1, []],
    ['path too long', h(0), 0, 1, [h(1)]],
    ['junk in path', h(0), 0, 2, ['0x12']],
    ['fractional size', h(0), 0, 1.5, []],
  ])('hostile input answers false, never throws: %s', (_name, hash, index, size, path) => {
    expect(verifyMerklePath(hash as string, index as number, size as number, path as string[], merkleRoot([h(0)]))).toBe(false);
  });
});
