import { Contract, Wallet, encodeBytes32String, hexlify } from 'ethers';
import {
  ERC1056_ABI,
  SIGNING_KEY_ATTRIBUTE,
  STATUS_REGISTRY_ABI,
  STATUS_WRITER_DELEGATE,
  StatusOperation,
  StatusPurpose,
  packIndexes,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, rotateOwner, setNextBlockTime, type Fixture } from '../support/chain.js';
import { revertOf } from '../support/revert.js';
import { privateChainPerFile } from '../support/private-chain.js';

// The key hierarchy's contract side: status bits are written by the identity's `govcred/statusWriter`
// delegate (or its owner); lists are created by the owner only; no other key of the identity writes anything.
let f: Fixture;
let owner: Wallet;
let writer: Wallet;
let registry: Contract;
let dids: Contract;
const identity = () => owner.address;
const WRITER = encodeBytes32String(STATUS_WRITER_DELEGATE);
const DAY = 86_400n;

// This file moves the chain's clock ahead: on a chain of its own.
const chainUrl = privateChainPerFile();
beforeEach(async () => {
  f = await deployFixture(chainUrl());
  owner = await fundedWallet(f.provider);
  writer = await fundedWallet(f.provider);
  registry = new Contract(f.statusRegistry, STATUS_REGISTRY_ABI, owner);
  dids = new Contract(f.didRegistry, ERC1056_ABI, owner);
  await (await registry.getFunction('createList')(identity(), 1, StatusPurpose.Suspension, 17)).wait();
  await (await registry.getFunction('createList')(identity(), 3, StatusPurpose.Superseded, 17)).wait();
});
afterEach(() => f.provider.destroy());

const expectRevert = async (promise: Promise<unknown>, error: string) => expect(await revertOf(promise, registry.interface)).toBe(error);

const send = (signer: Wallet, fn: string, ...args: unknown[]) =>
  (registry.connect(signer) as Contract).getFunction(fn)(...args).then((tx) => tx.wait());
const update = (signer: Wallet, index: number, op = StatusOperation.Set, listId = 1) =>
  send(signer, 'update', identity(), listId, op, hexlify(packIndexes([index])));
const supersede = (signer: Wallet, index: number) =>
  send(signer, 'supersede', identity(), 3, hexlify(packIndexes([index])), [
    { titleId: `0x${'ab'.repeat(32)}`, predecessor: `0x${'11'.repeat(32)}`, successor: `0x${'22'.repeat(32)}`, predecessorIndex: index, successorIndex: index + 1 },
  ]);
const addWriter = async (address: string, validity: bigint) => (await dids.getFunction('addDelegate')(identity(), WRITER, address, validity)).wait();
const version = async (listId = 1) => (await registry.getFunction('getList')(identity(), listId))[3] as bigint;

describe('StatusRegistry status writer', () => {
  test('the constant names the ERC-1056 delegate type the issuer adds', async () => {
    expect(await registry.getFunction('STATUS_WRITER')()).toBe(WRITER);
  });

  test('a valid writer sets and clears entries and records transfers, but cannot create a list', async () => {
    await addWriter(writer.address, 90n * DAY);
    await update(writer, 5);
    await update(writer, 5, StatusOperation.Clear);
    await supersede(writer, 9);
    expect([await version(1), await version(3)]).toEqual([2n, 1n]);
    await expectRevert(send(writer, 'createList', identity(), 7, StatusPurpose.Revocation, 17), 'NotIdentityOwner');
  });

  test('the signing key (a veriKey attribute) and a veriKey delegate cannot write status', async () => {
    const signingKey = await fundedWallet(f.provider);
    await (await dids.getFunction('setAttribute')(identity(), encodeBytes32String(SIGNING_KEY_ATTRIBUTE), signingKey.signingKey.compressedPublicKey, 365n * DAY)).wait();
    await (await dids.getFunction('addDelegate')(identity(), encodeBytes32String('veriKey'), signingKey.address, 365n * DAY)).wait();
    await expectRevert(update(signingKey, 5), 'NotStatusWriter');
    await expectRevert(supersede(signingKey, 5), 'NotStatusWriter');
    expect(await version()).toBe(0n);
  });

  test('an expired writer cannot write', async () => {
    const added = await addWriter(writer.address, 60n);
    await update(writer, 1);
    // validDelegate is `validTo > block.timestamp`: from the block at validTo on, the writer is out.
    await setNextBlockTime(f.provider, (await f.provider.getBlock(added.blockNumber))!.timestamp + 60);
    await expectRevert(update(writer, 5), 'NotStatusWriter');
    await expectRevert(supersede(writer, 5), 'NotStatusWriter');
    expect(await version()).toBe(1n);
  });

  test('a revoked writer cannot write', async () => {
    await addWriter(writer.address, 90n * DAY);
    await update(writer, 5);
    await (await dids.getFunction('revokeDelegate')(identity(), WRITER, writer.address)).wait();
    await expectRevert(update(writer, 6), 'NotStatusWriter');
    expect(await version()).toBe(1n);
  });

  test("another identity's writer cannot write this identity's lists", async () => {
    const other = await fundedWallet(f.provider);
    const otherDids = dids.connect(other) as Contract;
    await (await otherDids.getFunction('addDelegate')(other.address, WRITER, writer.address, 90n * DAY)).wait();
    await expectRevert(update(writer, 5), 'NotStatusWriter');
  });

  test('the owner writes; after changeOwner the former owner cannot, the new owner and the writer still can', async () => {
    await addWriter(writer.address, 90n * DAY);
    await update(owner, 1);
    const governance = await fundedWallet(f.provider);
    await rotateOwner(f.didRegistry, owner, identity(), governance.address);
    await expectRevert(update(owner, 2), 'NotStatusWriter');
    await expectRevert(supersede(owner, 2), 'NotStatusWriter');
    await expectRevert(send(owner, 'createList', identity(), 8, StatusPurpose.Revocation, 17), 'NotIdentityOwner');
    await update(governance, 3);
    await update(writer, 4);
    await send(governance, 'createList', identity(), 8, StatusPurpose.Revocation, 17);
    expect(await version()).toBe(3n);
  });
});
