import { randomInt } from 'node:crypto';
import { Contract, hexlify, type Wallet } from 'ethers';
import {
  STATUS_REGISTRY_ABI,
  StatusListWriter,
  StatusMirror,
  StatusOperation,
  StatusPurpose,
  TRANSACTION_GAS_CAP,
  maxIndexesPerTransaction,
  packIndexes,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';

let f: Fixture;
let agency: Wallet;

beforeEach(async () => {
  f = await deployFixture();
  agency = await fundedWallet(f.provider);
});
afterEach(() => f.provider.destroy());

function distinctRandom(count: number, size: number): number[] {
  const set = new Set<number>();
  while (set.size < count) set.add(randomInt(0, size));
  return [...set];
}

async function mirrorAll(listId: number, indexes: number[], size: number): Promise<void> {
  const mirror = new StatusMirror({ provider: f.provider, registry: f.statusRegistry, chainId: f.chainId, fromBlock: f.deployBlock });
  const report = await mirror.sync();
  expect(report.staleLists).toBe(0);
  const expected = new Set(indexes);
  const wrong = [];
  for (let i = 0; i < size; i++) {
    if ((mirror.lookup(agency.address, listId, i) === 'revoked') !== expected.has(i)) wrong.push(i);
  }
  expect(wrong).toEqual([]);
}

test('one transaction cannot carry a very large batch: the chain refuses it', async () => {
  const writer = new StatusListWriter({ registry: f.statusRegistry, signer: agency });
  await writer.createList(agency.address, 1, StatusPurpose.Revocation, 24);
  const contract = new Contract(f.statusRegistry, STATUS_REGISTRY_ABI, agency);
  const tooMany = packIndexes(distinctRandom(150_000, 2 ** 24));
  await expect(contract.getFunction('update')(agency.address, 1, StatusOperation.Set, hexlify(tooMany))).rejects.toThrow();
});

test('the writer splits a batch to fit the transaction size limit and gas cap, and every index lands', async () => {
  const writer = new StatusListWriter({ registry: f.statusRegistry, signer: agency });
  expect(writer.chunkSize).toBe(maxIndexesPerTransaction());
  await writer.createList(agency.address, 1, StatusPurpose.Revocation, 17);
  const indexes = distinctRandom(100_000, 2 ** 17);
  const result = await writer.update(agency.address, 1, StatusOperation.Set, indexes);
  expect(result.receipts).toHaveLength(Math.ceil(100_000 / writer.chunkSize));
  for (const receipt of result.receipts) {
    expect(receipt.status).toBe(1);
    expect(receipt.gasUsed).toBeLessThan(BigInt(TRANSACTION_GAS_CAP));
  }
  await mirrorAll(1, indexes, 2 ** 17);
});

test('a tighter gas cap gives more, smaller transactions, each under that cap', async () => {
  const cap = 2_000_000;
  const writer = new StatusListWriter({
    registry: f.statusRegistry,
    signer: agency,
    maxIndexesPerTransaction: maxIndexesPerTransaction(cap),
  });
  await writer.createList(agency.address, 1, StatusPurpose.Revocation, 17);
  const indexes = distinctRandom(30_000, 2 ** 17);
  const result = await writer.update(agency.address, 1, StatusOperation.Set, [...indexes, ...indexes.slice(0, 500)]);
  expect(result.indexCount).toBe(30_000); // duplicates dropped
  expect(result.receipts.length).toBe(Math.ceil(30_000 / writer.chunkSize));
  expect(result.receipts.length).toBeGreaterThanOrEqual(4);
  for (const receipt of result.receipts) expect(receipt.gasUsed).toBeLessThan(BigInt(cap));
  await mirrorAll(1, indexes, 2 ** 17);
});
