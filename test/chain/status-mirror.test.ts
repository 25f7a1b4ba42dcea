import { randomInt } from 'node:crypto';
import { AbiCoder, Interface, JsonRpcProvider, Log, Wallet, type Filter } from 'ethers';
import {
  STATUS_REGISTRY_ABI,
  StatusListWriter,
  StatusMirror,
  StatusOperation,
  StatusPurpose,
  genesisHead,
  nextSortedHead,
  type EntryStatus,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';

const SIZE = 2 ** 17;
let f: Fixture;
let agency: Wallet;
let writer: StatusListWriter;

beforeEach(async () => {
  f = await deployFixture();
  agency = await fundedWallet(f.provider);
  writer = new StatusListWriter({ registry: f.statusRegistry, signer: agency });
  await writer.createList(agency.address, 1, StatusPurpose.Revocation);
  await writer.createList(agency.address, 2, StatusPurpose.Suspension);
});
afterEach(() => f.provider.destroy());

function mirrorOn(provider: JsonRpcProvider, options: Partial<ConstructorParameters<typeof StatusMirror>[0]> = {}) {
  return new StatusMirror({ provider, registry: f.statusRegistry, chainId: f.chainId, fromBlock: f.deployBlock, ...options });
}

/** Every entry of a list as the mirror sees it. */
function snapshot(mirror: StatusMirror, listId: number): EntryStatus[] {
  return Array.from({ length: SIZE }, (_, i) => mirror.lookup(agency.address, listId, i));
}

/** A reference model of the two lists, updated alongside the chain. */
class Model {
  revoked = new Set<number>();
  suspended = new Set<number>();
  expected(listId: number): EntryStatus[] {
    const set = listId === 1 ? this.revoked : this.suspended;
    const mark = listId === 1 ? 'revoked' : 'suspended';
    return Array.from({ length: SIZE }, (_, i) => (set.has(i) ? mark : 'valid'));
  }
}

async function randomUpdates(model: Model, count: number): Promise<void> {
  for (let step = 0; step < count; step++) {
    const indexes = Array.from({ length: randomInt(1, 60) }, () => randomInt(0, SIZE));
    // Reuse suspended indexes now and then, so clears hit set entries.
    const suspended = [...model.suspended];
    const roll = randomInt(0, 3);
    if (roll === 0) {
      await writer.update(agency.address, 1, StatusOperation.Set, indexes);
      indexes.forEach((i) => model.revoked.add(i));
    } else if (roll === 1 || suspended.length === 0) {
      await writer.update(agency.address, 2, StatusOperation.Set, indexes);
      indexes.forEach((i) => model.suspended.add(i));
    } else {
      const clear = [...suspended.slice(0, randomInt(1, suspended.length + 1)), ...indexes.slice(0, 3)];
      await writer.update(agency.address, 2, StatusOperation.Clear, clear);
      clear.forEach((i) => model.suspended.delete(i));
    }
  }
}

test('the mirror equals the chain after random update sequences, synced all at once and step by step', async () => {
  const model = new Model();
  const incremental = mirrorOn(f.provider);
  for (let round = 0; round < 4; round++) {
    await randomUpdates(model, 6);
    const report = await incremental.sync();
    expect(report.staleLists).toBe(0);
    expect(snapshot(incremental, 1)).toEqual(model.expected(1));
    expect(snapshot(incremental, 2)).toEqual(model.expected(2));
  }
  const cold = mirrorOn(f.provider);
  await cold.sync();
  expect(snapshot(cold, 1)).toEqual(model.expected(1));
  expect(snapshot(cold, 2)).toEqual(model.expected(2));
  expect(cold.listCount).toBe(2);
});

test('lookups need no RPC: they keep answering with the provider gone', async () => {
  await writer.update(agency.address, 1, StatusOperation.Set, [5]);
  const provider = new JsonRpcProvider(process.env.GOVCRED_TEST_RPC_URL, 31337, { staticNetwork: true });
  const mirror = mirrorOn(provider);
  await mirror.sync();
  provider.destroy();
  expect(mirror.lookup(agency.address, 1, 5)).toBe('revoked');
  expect(mirror.lookup(agency.address, 1, 6)).toBe('valid');
});

/** A node that leaves out logs it is told to: what a faulty or lying RPC endpoint does. */
class DroppingProvider extends JsonRpcProvider {
  drop = (_log: Log) => false;
  override async getLogs(filter: Filter): Promise<Log[]> {
    return (await super.getLogs(filter)).filter((log) => !this.drop(log));
  }
}

test('a mirror that misses an update notices the head mismatch, answers unknown, and recovers', async () => {
  await writer.update(agency.address, 1, StatusOperation.Set, [10]);
  const missed = await writer.update(agency.address, 1, StatusOperation.Set, [20]);
  const provider = new DroppingProvider(process.env.GOVCRED_TEST_RPC_URL, 31337, { staticNetwork: true, cacheTimeout: -1 });
  const missedTx = missed.receipts[0].hash;
  provider.drop = (log) => log.transactionHash === missedTx;
  const mirror = mirrorOn(provider);

  const report = await mirror.sync();
  expect(report.staleLists).toBe(1);
  // Not "valid": the copy of list 1 is incomplete, so nothing in it is vouched for — not even index 10.
  expect(mirror.lookup(agency.address, 1, 20)).toBe('unknown');
  expect(mirror.lookup(agency.address, 1, 10)).toBe('unknown');
  expect(mirror.lookup(agency.address, 1, 30)).toBe('unknown');
  expect(mirror.lookup(agency.address, 2, 30)).toBe('valid'); // the other list is complete

  provider.drop = () => false; // the node behaves again
  const recovered = await mirror.sync();
  expect(recovered.staleLists).toBe(0);
  expect(mirror.lookup(agency.address, 1, 20)).toBe('revoked');
  expect(mirror.lookup(agency.address, 1, 10)).toBe('revoked');
  expect(mirror.lookup(agency.address, 1, 30)).toBe('valid');
  provider.destroy();
});

/** A node that rewrites the data of the logs it is told to: a lying RPC endpoint forging entries. */
class ForgingProvider extends JsonRpcProvider {
  forge = (log: Log): string | undefined => undefined;
  override async getLogs(filter: Filter): Promise<Log[]> {
    return (await super.getLogs(filter)).map((log) => {
      const data = this.forge(log);
      return data === undefined ? log : new Log({ ...log, data, topics: [...log.topics] }, this);
    });
  }
}

test.each([
  // Gaps the contract refuses (index 4 twice), under a head recomputed to match them: never applied as entries.
  ['gaps the contract refuses, with a matching head', (head: string) => AbiCoder.defaultAbiCoder().encode(['uint8', 'uint64', 'bytes32', 'bytes'], [0, 1, nextSortedHead(head, StatusOperation.Set, Uint8Array.from([0x05, 0x00])), '0x0500'])],
  ['data that is not even ABI', () => '0x1234'],
])('a forged sorted-update log (%s) is an inconsistency: unknown, no throw, recovered from the chain', async (_name, forged) => {
  const written = await writer.update(agency.address, 1, StatusOperation.Set, Array.from({ length: 40 }, (_, i) => i * 7));
  const iface = new Interface(STATUS_REGISTRY_ABI);
  expect(iface.parseLog(written.receipts[0].logs[0])!.name).toBe('StatusUpdatedSorted');
  const provider = new ForgingProvider(process.env.GOVCRED_TEST_RPC_URL, 31337, { staticNetwork: true, cacheTimeout: -1 });
  const genesis = genesisHead(f.chainId, f.statusRegistry, agency.address, 1, StatusPurpose.Revocation, 17);
  provider.forge = (log) => (log.transactionHash === written.receipts[0].hash ? forged(genesis) : undefined);
  const mirror = mirrorOn(provider);
  const report = await mirror.sync();
  expect(report.staleLists).toBe(1);
  expect(mirror.lookup(agency.address, 1, 4)).toBe('unknown');
  expect(mirror.lookup(agency.address, 1, 7)).toBe('unknown');
  expect(mirror.lookup(agency.address, 2, 7)).toBe('valid');
  provider.forge = () => undefined;
  await mirror.sync();
  expect(mirror.lookup(agency.address, 1, 7)).toBe('revoked');
  expect(mirror.lookup(agency.address, 1, 8)).toBe('valid');
  provider.destroy();
});

test('a dropped log in the middle shows as a version gap even when later logs arrive', async () => {
  const first = await writer.update(agency.address, 2, StatusOperation.Set, [1]);
  await writer.update(agency.address, 2, StatusOperation.Set, [2]);
  const provider = new DroppingProvider(process.env.GOVCRED_TEST_RPC_URL, 31337, { staticNetwork: true, cacheTimeout: -1 });
  provider.drop = (log) => log.transactionHash === first.receipts[0].hash;
  const mirror = mirrorOn(provider);
  await mirror.sync();
  expect(mirror.lookup(agency.address, 2, 1)).toBe('unknown');
  expect(mirror.lookup(agency.address, 2, 2)).toBe('unknown');
  provider.destroy();
});

test('unknown lists, out-of-range indexes and a stale mirror answer unknown', async () => {
  let now = 1_000_000;
  const mirror = mirrorOn(f.provider, { now: () => now, maxStalenessMs: 5_000 });
  expect(mirror.lookup(agency.address, 1, 0)).toBe('unknown'); // never synced
  await mirror.sync();
  expect(mirror.lookup(agency.address, 1, 0)).toBe('valid');
  expect(mirror.lookup(agency.address, 3, 0)).toBe('unknown');
  expect(mirror.lookup(Wallet.createRandom().address, 1, 0)).toBe('unknown');
  expect(mirror.lookup(agency.address, 1, SIZE)).toBe('unknown');
  expect(mirror.lookup(agency.address, 1, -1)).toBe('unknown');
  now += 5_001;
  expect(mirror.lookup(agency.address, 1, 0)).toBe('unknown');
});

test('a started mirror follows new blocks', async () => {
  const mirror = mirrorOn(f.provider, { pollIntervalMs: 50 });
  await mirror.start();
  try {
    expect(mirror.lookup(agency.address, 2, 77)).toBe('valid');
    await writer.update(agency.address, 2, StatusOperation.Set, [77]);
    const deadline = Date.now() + 10_000;
    while (mirror.lookup(agency.address, 2, 77) !== 'suspended' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(mirror.lookup(agency.address, 2, 77)).toBe('suspended');
    await writer.update(agency.address, 2, StatusOperation.Clear, [77]);
    while (mirror.lookup(agency.address, 2, 77) !== 'valid' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(mirror.lookup(agency.address, 2, 77)).toBe('valid');
  } finally {
    mirror.stop();
  }
});
