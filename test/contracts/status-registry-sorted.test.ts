import { randomInt } from 'node:crypto';
import { Contract, Wallet, getBytes, hexlify, type TransactionReceipt } from 'ethers';
import {
  STATUS_REGISTRY_ABI,
  StatusOperation,
  StatusPurpose,
  decodeSortedGaps,
  encodeSortedGaps,
  genesisHead,
  nextHead,
  nextSortedHead,
  normalizeIndexes,
  packIndexes,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';
import { revertOf } from '../support/revert.js';

let f: Fixture;
let agency: Wallet;
let registry: Contract;

beforeEach(async () => {
  f = await deployFixture();
  agency = await fundedWallet(f.provider);
  registry = new Contract(f.statusRegistry, STATUS_REGISTRY_ABI, agency);
});
afterEach(() => f.provider.destroy());

const expectRevert = async (promise: Promise<unknown>, error: string) => expect(await revertOf(promise, registry.interface)).toBe(error);

const create = (listId: number, purpose: StatusPurpose, sizeLog2 = 17) =>
  registry.getFunction('createList')(agency.address, listId, purpose, sizeLog2).then((tx) => tx.wait());
const updateSorted = (listId: number, op: StatusOperation, gaps: Uint8Array | number[], signer: Wallet = agency): Promise<TransactionReceipt> =>
  (registry.connect(signer) as Contract)
    .getFunction('updateSorted')(agency.address, listId, op, hexlify(Uint8Array.from(gaps)))
    .then((tx) => tx.wait());
const varint = (value: number): number[] => {
  const bytes: number[] = [];
  for (; value >= 0x80; value >>>= 7) bytes.push((value & 0x7f) | 0x80);
  return [...bytes, value];
};
const random = (count: number, size: number) => {
  const set = new Set<number>();
  while (set.size < count) set.add(randomInt(0, size));
  return normalizeIndexes(set);
};

describe('StatusRegistry.updateSorted', () => {
  test('1,000 random indexes of a 131,072 list: logged as given, head and version advance, under 100 gas an index', async () => {
    await create(1, StatusPurpose.Revocation);
    const indexes = random(1_000, 2 ** 17);
    const gaps = encodeSortedGaps(indexes);
    const receipt = await updateSorted(1, StatusOperation.Set, gaps);
    const event = registry.interface.parseLog(receipt.logs[0])!;
    expect(event.name).toBe('StatusUpdatedSorted');
    expect(event.args.gaps).toBe(hexlify(gaps));
    expect(decodeSortedGaps(getBytes(event.args.gaps as string), 17)).toEqual(indexes);
    const head = nextSortedHead(genesisHead(f.chainId, f.statusRegistry, agency.address, 1, StatusPurpose.Revocation, 17), StatusOperation.Set, gaps);
    expect(event.args.head).toBe(head);
    const [, , , version, onChain] = await registry.getFunction('getList')(agency.address, 1);
    expect([version, onChain]).toEqual([1n, head]);
    // The whole transaction (21,000 base, calldata, checks, log) per index; packed 3-byte indexes cost ~128.
    expect(Number(receipt.gasUsed) / 1_000).toBeLessThanOrEqual(100);
  });

  test('sorted and packed updates chain into one head, and never hash alike', async () => {
    await create(2, StatusPurpose.Suspension);
    let head = genesisHead(f.chainId, f.statusRegistry, agency.address, 2, StatusPurpose.Suspension, 17);
    await updateSorted(2, StatusOperation.Set, encodeSortedGaps([1, 2, 3]));
    head = nextSortedHead(head, StatusOperation.Set, encodeSortedGaps([1, 2, 3]));
    await registry.getFunction('update')(agency.address, 2, StatusOperation.Clear, hexlify(packIndexes([2]))).then((tx) => tx.wait());
    head = nextHead(head, StatusOperation.Clear, packIndexes([2]));
    await updateSorted(2, StatusOperation.Clear, encodeSortedGaps([1, 3]));
    head = nextSortedHead(head, StatusOperation.Clear, encodeSortedGaps([1, 3]));
    const [, , , version, onChain] = await registry.getFunction('getList')(agency.address, 2);
    expect([version, onChain]).toEqual([3n, head]);
    // The same bytes read both ways give different heads.
    const bytes = Uint8Array.from([0x01, 0x02, 0x03]);
    expect(nextSortedHead(head, StatusOperation.Set, bytes)).not.toBe(nextHead(head, StatusOperation.Set, bytes));
  });

  test('the rules of update apply: owner or status writer only, known lists, revocation final', async () => {
    await create(1, StatusPurpose.Revocation);
    const stranger = await fundedWallet(f.provider);
    await expectRevert(updateSorted(1, StatusOperation.Set, [0x01], stranger), 'NotStatusWriter');
    await expectRevert(updateSorted(9, StatusOperation.Set, [0x01]), 'UnknownList');
    await updateSorted(1, StatusOperation.Set, [0x01]);
    await expectRevert(updateSorted(1, StatusOperation.Clear, [0x01]), 'RevocationIsFinal');
  });

  test.each([
    ['empty', [], 'MalformedIndexes'],
    ['truncated varint (the last byte says more follow)', [0x05, 0x85], 'MalformedIndexes'],
    ['a varint longer than 4 bytes', [0x05, 0x81, 0x80, 0x80, 0x80, 0x00], 'MalformedIndexes'],
    // A backward step has no encoding: a wrapped "negative" gap is five bytes long, or its four-byte cut is
    // far past the list.
    ['unsorted: a backward step as a wrapped varint', [0x0a, 0xfb, 0xff, 0xff, 0xff, 0x0f], 'MalformedIndexes'],
    ['unsorted: a backward step cut to four bytes', [0x0a, 0xfb, 0xff, 0xff, 0x7f], 'IndexOutOfRange'],
    ['duplicate: a zero gap', [0x05, 0x00], 'IndexesNotIncreasing'],
    ['a padded varint (a second encoding of the same index)', [0x81, 0x00], 'IndexesNotIncreasing'],
    ['out of range: index 131,072', [0x80, 0x80, 0x08, 0x01], 'IndexOutOfRange'],
  ])('refused: %s', async (_name, bytes, error) => {
    await create(1, StatusPurpose.Revocation);
    await expectRevert(updateSorted(1, StatusOperation.Set, bytes as number[]), error as string);
  });

  // The check reads 28 bytes a word with 4 bytes of context: long varints must be summed right across every
  // word boundary. Few indexes in a 2^24 list give 3- and 4-byte gaps; the last index is put exactly at the end
  // of the list (accepted) and one past it (refused).
  test.each([1, 7, 8, 9, 27, 28, 29, 60])('range and sums across word boundaries (%i indexes of a 2^24 list)', async (count) => {
    await create(1, StatusPurpose.Suspension, 24);
    const size = 2 ** 24;
    const indexes = random(count, size - 1);
    if (indexes[indexes.length - 1] !== size - 2) indexes.push(size - 1);
    else indexes[indexes.length - 1] = size - 1;
    const gaps = encodeSortedGaps(indexes);
    // The same indexes with the last one at 2^24 (one past the list). The encoder refuses that index, so its gap
    // is written here; bumping the last byte of `gaps` instead would turn a 0x7f into a continuation byte.
    const prefix = indexes.slice(0, -1);
    const past = Uint8Array.from([...(prefix.length > 0 ? encodeSortedGaps(prefix) : []), ...varint(size - (prefix.at(-1) ?? -1))]);
    await expectRevert(updateSorted(1, StatusOperation.Set, past), 'IndexOutOfRange');
    await updateSorted(1, StatusOperation.Set, gaps);
    expect((await registry.getFunction('getList')(agency.address, 1))[3]).toBe(1n);
  });

  test('a zero byte anywhere in a long batch is found (every position of a word)', async () => {
    await create(1, StatusPurpose.Revocation);
    const gaps = encodeSortedGaps(Array.from({ length: 70 }, (_, i) => i * 3));
    for (const at of [0, 27, 28, 31, 55, 56, 69]) {
      const bad = Uint8Array.from(gaps);
      bad[at] = 0;
      await expectRevert(updateSorted(1, StatusOperation.Set, bad), 'IndexesNotIncreasing');
    }
    await updateSorted(1, StatusOperation.Set, gaps);
  });

  // The word-at-a-time check against the byte-by-byte decoder: random byte strings (mostly well-formed, some
  // with a zero, a long or an unended varint, some past the list) are accepted by the contract exactly when the
  // decoder accepts them.
  test('the contract accepts exactly what the byte-by-byte decoder accepts (random strings)', async () => {
    await create(1, StatusPurpose.Suspension, 17);
    await create(2, StatusPurpose.Suspension, 24);
    const randomGaps = () => {
      const bytes: number[] = [];
      const length = randomInt(1, 120);
      while (bytes.length < length) {
        const roll = randomInt(0, 100);
        if (roll < 75) bytes.push(randomInt(1, 128)); // a one-byte gap
        else if (roll < 99) bytes.push(randomInt(128, 256)); // a byte inside a varint
        else bytes.push(0);
      }
      return Uint8Array.from(bytes);
    };
    let accepted = 0;
    // At least 150 strings, and on until 25 were accepted (at most 400). About one random string in four is a valid
    // encoding (138 of 600 in one run), so a fixed 150 left 20 or fewer accepted by chance in roughly one run in 250,
    // failing the floor below; a full test run met it once.
    for (let i = 0; i < 400 && (i < 150 || accepted < 25); i++) {
      const gaps = randomGaps();
      const [listId, sizeLog2] = i % 2 === 0 ? [1, 17] : [2, 24];
      const expected = decodeSortedGaps(gaps, sizeLog2) !== undefined;
      const ok = await registry
        .getFunction('updateSorted')
        .staticCall(agency.address, listId, StatusOperation.Set, hexlify(gaps))
        .then(
          () => true,
          () => false,
        );
      expect([hexlify(gaps), ok]).toEqual([hexlify(gaps), expected]);
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(20);
  });

  test('the random identity of a stranger owns no list to update', async () => {
    const stranger = Wallet.createRandom().address;
    await expectRevert(registry.getFunction('updateSorted')(stranger, 1, StatusOperation.Set, '0x01'), 'NotStatusWriter');
  });
});
