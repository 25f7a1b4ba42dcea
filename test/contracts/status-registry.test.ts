import { Contract, Wallet, hexlify } from 'ethers';
import {
  STATUS_REGISTRY_ABI,
  StatusListWriter,
  StatusOperation,
  StatusPurpose,
  genesisHead,
  nextHead,
  packIndexes,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, rotateOwner, type Fixture } from '../support/chain.js';
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

const create = (signer: Wallet, identity: string, listId: number, purpose: StatusPurpose, sizeLog2 = 17) =>
  (registry.connect(signer) as Contract).getFunction('createList')(identity, listId, purpose, sizeLog2).then((tx) => tx.wait());
const update = (signer: Wallet, identity: string, listId: number, op: StatusOperation, indexes: number[] | Uint8Array) =>
  (registry.connect(signer) as Contract)
    .getFunction('update')(identity, listId, op, hexlify(indexes instanceof Uint8Array ? indexes : packIndexes(indexes)))
    .then((tx) => tx.wait());

describe('StatusRegistry access control', () => {
  test('the identity itself creates and updates its lists; a stranger cannot', async () => {
    await create(agency, agency.address, 1, StatusPurpose.Revocation);
    const stranger = await fundedWallet(f.provider);
    await expectRevert(create(stranger, agency.address, 2, StatusPurpose.Revocation), 'NotIdentityOwner');
    await expectRevert(update(stranger, agency.address, 1, StatusOperation.Set, [5]), 'NotStatusWriter');
    await update(agency, agency.address, 1, StatusOperation.Set, [5]);
    const [, , , version] = await registry.getFunction('getList')(agency.address, 1);
    expect(version).toBe(1n);
  });

  test('after an ERC-1056 owner change the new key controls the lists and the old key does not', async () => {
    await create(agency, agency.address, 1, StatusPurpose.Suspension);
    const newKey = await fundedWallet(f.provider);
    await rotateOwner(f.didRegistry, agency, agency.address, newKey.address);
    await expectRevert(update(agency, agency.address, 1, StatusOperation.Set, [7]), 'NotStatusWriter');
    await update(newKey, agency.address, 1, StatusOperation.Set, [7]);
    await update(newKey, agency.address, 1, StatusOperation.Clear, [7]);
    await create(newKey, agency.address, 2, StatusPurpose.Revocation);
    const [exists, , , version] = await registry.getFunction('getList')(agency.address, 1);
    expect([exists, version]).toEqual([true, 2n]);
  });
});

describe('StatusRegistry semantics', () => {
  test('revocation is final: a revocation list cannot be cleared, a suspension list can', async () => {
    await create(agency, agency.address, 1, StatusPurpose.Revocation);
    await create(agency, agency.address, 2, StatusPurpose.Suspension);
    await update(agency, agency.address, 1, StatusOperation.Set, [42]);
    await expectRevert(update(agency, agency.address, 1, StatusOperation.Clear, [42]), 'RevocationIsFinal');
    await update(agency, agency.address, 2, StatusOperation.Set, [42]);
    await update(agency, agency.address, 2, StatusOperation.Clear, [42]);
  });

  test('head and version follow keccak256(head ‖ op ‖ indexes) from a domain-separated genesis', async () => {
    await create(agency, agency.address, 9, StatusPurpose.Suspension);
    let head = genesisHead(f.chainId, f.statusRegistry, agency.address, 9, StatusPurpose.Suspension, 17);
    let [, purpose, sizeLog2, version, onChain] = await registry.getFunction('getList')(agency.address, 9);
    expect([purpose, sizeLog2, version, onChain]).toEqual([1n, 17n, 0n, head]);
    for (const [op, indexes] of [
      [StatusOperation.Set, [1, 2, 131071]],
      [StatusOperation.Clear, [2]],
    ] as const) {
      await update(agency, agency.address, 9, op, [...indexes]);
      head = nextHead(head, op, packIndexes([...indexes]));
    }
    [, , , version, onChain] = await registry.getFunction('getList')(agency.address, 9);
    expect([version, onChain]).toEqual([2n, head]);
  });

  test('list creation is checked: duplicate ids, sizes outside 2^17..2^24, unknown lists', async () => {
    await create(agency, agency.address, 1, StatusPurpose.Revocation);
    await expectRevert(create(agency, agency.address, 1, StatusPurpose.Revocation), 'ListExists');
    await expectRevert(create(agency, agency.address, 2, StatusPurpose.Revocation, 16), 'InvalidListSize');
    await expectRevert(create(agency, agency.address, 2, StatusPurpose.Revocation, 25), 'InvalidListSize');
    await create(agency, agency.address, 3, StatusPurpose.Revocation, 24);
    await expectRevert(update(agency, agency.address, 77, StatusOperation.Set, [1]), 'UnknownList');
  });

  test('malformed index bytes are refused', async () => {
    await create(agency, agency.address, 1, StatusPurpose.Revocation);
    await expectRevert(update(agency, agency.address, 1, StatusOperation.Set, new Uint8Array(0)), 'MalformedIndexes');
    await expectRevert(update(agency, agency.address, 1, StatusOperation.Set, new Uint8Array(4)), 'MalformedIndexes');
  });

  // The range check reads ten 3-byte indexes per 32-byte word: put the bad index at every position around the
  // word boundaries and at the end of a partial word.
  test.each([
    [1, 0],
    [10, 9],
    [11, 10],
    [11, 0],
    [20, 19],
    [21, 20],
    [31, 15],
  ])('an index past the list size is refused (batch of %i, bad at %i)', async (count, badAt) => {
    await create(agency, agency.address, 1, StatusPurpose.Revocation);
    const indexes = Array.from({ length: count }, (_, i) => 131_000 + i);
    indexes[badAt] = 131_072; // first index past 2^17
    await expectRevert(update(agency, agency.address, 1, StatusOperation.Set, indexes), 'IndexOutOfRange');
    indexes[badAt] = 131_071; // last valid index
    await update(agency, agency.address, 1, StatusOperation.Set, indexes);
  });

  test('the writer refuses indexes that are not integers in range before sending anything', async () => {
    const writer = new StatusListWriter({ registry: f.statusRegistry, signer: agency });
    await expect(writer.update(agency.address, 1, StatusOperation.Set, [-1])).rejects.toThrow(RangeError);
    await expect(writer.update(agency.address, 1, StatusOperation.Set, [1.5])).rejects.toThrow(RangeError);
    await expect(writer.update(agency.address, 1, StatusOperation.Set, [2 ** 24])).rejects.toThrow(RangeError);
    expect(await f.provider.getTransactionCount(agency.address)).toBe(0);
  });
});

describe('StatusRegistry property lists', () => {
  const transfer = (i: number) => ({
    titleId: `0x${'ab'.repeat(32)}`,
    predecessor: `0x${String(i).padStart(64, '1')}`,
    successor: `0x${String(i).padStart(64, '2')}`,
    predecessorIndex: i,
    successorIndex: 1000 + i,
  });
  const supersede = (listId: number, transfers: ReturnType<typeof transfer>[], indexes = transfers.map((t) => t.predecessorIndex)) =>
    registry.getFunction('supersede')(agency.address, listId, hexlify(packIndexes(indexes)), transfers).then((tx) => tx.wait());

  test('superseded is final and encumbered is reversible', async () => {
    await create(agency, agency.address, 3, StatusPurpose.Superseded);
    await create(agency, agency.address, 4, StatusPurpose.Encumbered);
    await update(agency, agency.address, 3, StatusOperation.Set, [7]);
    await expectRevert(update(agency, agency.address, 3, StatusOperation.Clear, [7]), 'SupersededIsFinal');
    await update(agency, agency.address, 4, StatusOperation.Set, [7]);
    await update(agency, agency.address, 4, StatusOperation.Clear, [7]);
    const [, purpose, , version] = await registry.getFunction('getList')(agency.address, 4);
    expect([purpose, version]).toEqual([3n, 2n]);
  });

  test('supersede sets the bits and records one numbered link per transfer, in one transaction', async () => {
    await create(agency, agency.address, 3, StatusPurpose.Superseded);
    const receipt = await supersede(3, [transfer(5), transfer(9)]);
    const events = receipt.logs.map((l: never) => registry.interface.parseLog(l)!);
    expect(events.map((e: { name: string }) => e.name)).toEqual(['StatusUpdated', 'TitleTransferred', 'TitleTransferred']);
    expect(events[2].args.seq).toBe(2n);
    expect(events[2].args.successorIndex).toBe(1009n);
    const block = await f.provider.getBlock(receipt.blockNumber);
    expect(events[1].args.time).toBe(BigInt(block!.timestamp));
    expect(await registry.getFunction('titleTransferCount')(agency.address)).toBe(2n);
    let head = genesisHead(f.chainId, f.statusRegistry, agency.address, 3, StatusPurpose.Superseded, 17);
    head = nextHead(head, StatusOperation.Set, packIndexes([5, 9]));
    expect((await registry.getFunction('getList')(agency.address, 3))[4]).toBe(head);
  });

  test('supersede is checked: its list, one transfer per index, the owner', async () => {
    await create(agency, agency.address, 3, StatusPurpose.Superseded);
    await create(agency, agency.address, 4, StatusPurpose.Encumbered);
    await expectRevert(supersede(4, [transfer(1)]), 'NotASupersededList');
    await expectRevert(supersede(3, [transfer(1)], [1, 2]), 'TransfersMismatch');
    await expectRevert(supersede(8, [transfer(1)]), 'UnknownList');
    const stranger = await fundedWallet(f.provider);
    const asStranger = registry.connect(stranger) as Contract;
    await expectRevert(asStranger.getFunction('supersede')(agency.address, 3, hexlify(packIndexes([1])), [transfer(1)]), 'NotStatusWriter');
    expect(await registry.getFunction('titleTransferCount')(agency.address)).toBe(0n);
  });
});
