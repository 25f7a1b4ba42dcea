import { randomInt } from 'node:crypto';
import { JsonRpcProvider, Wallet, type Filter, type Log } from 'ethers';
import {
  StatusListWriter,
  StatusMirror,
  StatusOperation,
  StatusPurpose,
  TitleMirror,
  type EntryStatus,
  type TitleTransferInput,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';

// The property lists (superseded: final, encumbered: reversible) and the title links, mirrored like the others.
const SIZE = 2 ** 17;
const SUPERSEDED = 3;
const ENCUMBERED = 4;
let f: Fixture;
let agency: Wallet;
let writer: StatusListWriter;

beforeEach(async () => {
  f = await deployFixture();
  agency = await fundedWallet(f.provider);
  writer = new StatusListWriter({ registry: f.statusRegistry, signer: agency });
  await writer.createList(agency.address, SUPERSEDED, StatusPurpose.Superseded);
  await writer.createList(agency.address, ENCUMBERED, StatusPurpose.Encumbered);
});
afterEach(() => f.provider.destroy());

const follow = (provider: JsonRpcProvider) => ({ provider, registry: f.statusRegistry, fromBlock: f.deployBlock });
const titleId = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const hash = (n: number) => `0x${(n + 0x1000).toString(16).padStart(64, 'f')}`;
const link = (title: number, from: number, to: number): TitleTransferInput => ({ titleId: titleId(title), predecessor: hash(from), successor: hash(to), predecessorIndex: from, successorIndex: to });

test('the status mirror equals the chain on superseded and encumbered lists after random updates', async () => {
  const superseded = new Set<number>();
  const encumbered = new Set<number>();
  const mirror = new StatusMirror({ ...follow(f.provider), chainId: f.chainId });
  for (let round = 0; round < 3; round++) {
    for (let step = 0; step < 5; step++) {
      const indexes = Array.from({ length: randomInt(1, 40) }, () => randomInt(0, SIZE));
      const roll = randomInt(0, 3);
      if (roll === 0) {
        await writer.supersede(agency.address, SUPERSEDED, [...new Set(indexes)].map((i) => link(i, i, (i + 1) % SIZE)));
        indexes.forEach((i) => superseded.add(i));
      } else if (roll === 1 || encumbered.size === 0) {
        await writer.update(agency.address, ENCUMBERED, StatusOperation.Set, indexes);
        indexes.forEach((i) => encumbered.add(i));
      } else {
        const clear = [...encumbered].slice(0, randomInt(1, encumbered.size + 1));
        await writer.update(agency.address, ENCUMBERED, StatusOperation.Clear, clear);
        clear.forEach((i) => encumbered.delete(i));
      }
    }
    expect((await mirror.sync()).staleLists).toBe(0);
    const expected = (set: Set<number>, mark: EntryStatus) => Array.from({ length: SIZE }, (_, i) => (set.has(i) ? mark : 'valid'));
    expect(Array.from({ length: SIZE }, (_, i) => mirror.lookup(agency.address, SUPERSEDED, i))).toEqual(expected(superseded, 'superseded'));
    expect(Array.from({ length: SIZE }, (_, i) => mirror.lookup(agency.address, ENCUMBERED, i))).toEqual(expected(encumbered, 'encumbered'));
  }
  expect(mirror.identities()).toEqual([agency.address]);
});

test("a title's history is walked from any of its certificates; a repeated transfer counts once", async () => {
  // Title 1: index 10 → 20 → 30; title 2: 11 → 21. The second transfer of title 1 is sent twice (a crash between
  // sending and recording it makes the worker send it again).
  await writer.supersede(agency.address, SUPERSEDED, [link(1, 10, 20), link(2, 11, 21)]);
  await writer.supersede(agency.address, SUPERSEDED, [link(1, 20, 30)]);
  await writer.supersede(agency.address, SUPERSEDED, [link(1, 20, 30)]);
  const mirror = new TitleMirror(follow(f.provider));
  expect((await mirror.sync()).staleIdentities).toBe(0);
  for (const index of [10, 20, 30]) {
    const history = mirror.historyOf(agency.address, index);
    expect(history.known && history.transfers.map((t) => [t.predecessorIndex, t.successorIndex])).toEqual([[10, 20], [20, 30]]);
  }
  const other = mirror.historyOf(agency.address, 21);
  expect(other.known && other.transfers.map((t) => t.titleId)).toEqual([titleId(2)]);
  expect(mirror.historyOf(agency.address, 99)).toEqual({ known: true, transfers: [] });
  expect(mirror.historyOf(Wallet.createRandom().address, 10)).toEqual({ known: true, transfers: [] });
});

/** A node that leaves out logs it is told to. */
class DroppingProvider extends JsonRpcProvider {
  drop = (_log: Log) => false;
  override async getLogs(filter: Filter): Promise<Log[]> {
    return (await super.getLogs(filter)).filter((log) => !this.drop(log));
  }
}

test('a title mirror that misses a transfer answers unknown for that agency, and recovers', async () => {
  const missed = await writer.supersede(agency.address, SUPERSEDED, [link(1, 10, 20)]);
  await writer.supersede(agency.address, SUPERSEDED, [link(1, 20, 30)]);
  const provider = new DroppingProvider(process.env.GOVCRED_TEST_RPC_URL, 31337, { staticNetwork: true, cacheTimeout: -1 });
  provider.drop = (log) => log.transactionHash === missed.receipts[0].hash;
  const mirror = new TitleMirror(follow(provider));
  expect((await mirror.sync()).staleIdentities).toBe(1);
  expect(mirror.historyOf(agency.address, 30)).toEqual({ known: false });
  provider.drop = () => false;
  expect((await mirror.sync()).staleIdentities).toBe(0);
  const history = mirror.historyOf(agency.address, 30);
  expect(history.known && history.transfers.length).toBe(2);
  provider.destroy();
});
