import { randomInt } from 'node:crypto';
import { calldataGas, decodeSortedGaps, encodeSortedGaps, normalizeIndexes, packIndexes } from './status-codec.js';

const random = (count: number, size: number) => normalizeIndexes(Array.from({ length: count }, () => randomInt(0, size)));

describe('sorted gaps (updateSorted)', () => {
  test.each([
    [[0], [0x01]],
    [[0, 1, 2], [0x01, 0x01, 0x01]],
    [[126, 127], [0x7f, 0x01]],
    [[127], [0x80, 0x01]],
    [[0, 16_384], [0x01, 0x80, 0x80, 0x01]],
    [[2 ** 24 - 1], [0x80, 0x80, 0x80, 0x08]],
  ])('%j encodes as %j and decodes back', (indexes, bytes) => {
    expect([...encodeSortedGaps(indexes)]).toEqual(bytes);
    expect(decodeSortedGaps(Uint8Array.from(bytes), 24)).toEqual(indexes);
  });

  test('random batches round-trip, at ~1.4 bytes an index in a 2^17 list and never a zero byte', () => {
    for (const [count, sizeLog2] of [[1_000, 17], [10_000, 17], [50, 24], [3, 24]] as const) {
      const indexes = random(count, 2 ** sizeLog2);
      const gaps = encodeSortedGaps(indexes);
      expect(decodeSortedGaps(gaps, sizeLog2)).toEqual(indexes);
      expect(gaps.includes(0)).toBe(false);
      if (count === 1_000) {
        expect(gaps.length / count).toBeLessThan(1.6);
        expect(calldataGas(gaps)).toBeLessThan(calldataGas(packIndexes(indexes)));
      }
    }
  });

  test('the encoder refuses what is not strictly increasing in range (caller misuse)', () => {
    expect(() => encodeSortedGaps([])).toThrow(RangeError);
    expect(() => encodeSortedGaps([5, 3])).toThrow(RangeError);
    expect(() => encodeSortedGaps([5, 5])).toThrow(RangeError);
    expect(() => encodeSortedGaps([-1])).toThrow(RangeError);
    expect(() => encodeSortedGaps([2 ** 24])).toThrow(RangeError);
  });

  // What the contract refuses, the decoder refuses too: a log carrying it is an inconsistency, never entries.
  test.each([
    ['empty', []],
    ['a zero gap (an index twice)', [0x05, 0x00]],
    ['a padded varint (a second encoding of gap 1)', [0x81, 0x00]],
    ['a truncated varint', [0x05, 0x85]],
    ['a five-byte varint (a wrapped backward step)', [0x05, 0xfb, 0xff, 0xff, 0xff, 0x0f]],
    ['an index past the list', [0x80, 0x80, 0x08, 0x01]],
  ])('decoding refuses %s without throwing', (_name, bytes) => {
    expect(decodeSortedGaps(Uint8Array.from(bytes), 17)).toBeUndefined();
  });

  test('the last index of the list is in range, the next one is not', () => {
    expect(decodeSortedGaps(encodeSortedGaps([2 ** 17 - 1]), 17)).toEqual([2 ** 17 - 1]);
    expect(decodeSortedGaps(encodeSortedGaps([2 ** 17]), 17)).toBeUndefined();
  });
});
