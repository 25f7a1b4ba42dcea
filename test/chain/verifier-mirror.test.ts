import { randomInt } from 'node:crypto';
import { JsonRpcProvider, Wallet, type Filter, type Log } from 'ethers';
import {
  OPEN_ENDED,
  VerifierMirror,
  VerifierRegistryClient,
  ethrDid,
  revertName,
  type ClaimPath,
  type VerifierScopeEntry,
} from '../../libs/credentials/src/index.js';
import { deployFixture, setNextBlockTime, type Fixture } from '../support/chain.js';
import { privateChainPerFile } from '../support/private-chain.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';

const TYPES = ['EducationCredential', 'NationalIdCredential', 'PropertyCredential'];
const PATHS: ClaimPath[] = [[], ['degree'], ['address'], ['address', 'city'], ['name'], ['age_over_18']];

let f: Fixture;
let registry: VerifierRegistryClient;

// This file moves the chain's clock ahead: on a chain of its own.
const chainUrl = privateChainPerFile();
beforeEach(async () => {
  f = await deployFixture(chainUrl());
  registry = new VerifierRegistryClient(f.verifierRegistry, f.governance);
});
afterEach(() => f.provider.destroy());

const did = (address: string) => ethrDid(f.chainId, address);
const blockTime = async (n: number) => BigInt((await f.provider.getBlock(n))!.timestamp);
const chainNow = async () => (await f.provider.getBlock('latest'))!.timestamp;
function mirrorOn(provider: JsonRpcProvider, options: Partial<ConstructorParameters<typeof VerifierMirror>[0]> = {}) {
  return new VerifierMirror({ provider, registry: f.verifierRegistry, chainId: f.chainId, fromBlock: f.deployBlock, typeNames: TYPES, ...options });
}

/** A reference model of the registry: what the contract should hold, kept by the rules of its documentation. */
interface ModelRegistration {
  validFrom: bigint;
  validUntil: bigint;
  withdrawn: boolean;
  credentials: VerifierScopeEntry[];
}
class Model {
  readonly byVerifier = new Map<string, ModelRegistration[]>();
  private cut(list: ModelRegistration[], at: bigint, withdrawal: boolean): boolean {
    let any = false;
    for (const r of list) {
      if (r.validUntil === r.validFrom || r.validUntil <= at) continue;
      r.validUntil = r.validFrom > at ? r.validFrom : at;
      if (withdrawal) r.withdrawn = true;
      any = true;
    }
    return any;
  }
  register(verifier: string, from: bigint, until: bigint, credentials: VerifierScopeEntry[]): void {
    const list = this.byVerifier.get(verifier) ?? [];
    this.byVerifier.set(verifier, list);
    this.cut(list, from, false);
    list.push({ validFrom: from, validUntil: until, withdrawn: false, credentials });
  }
  withdraw(verifier: string, at: bigint): boolean {
    return this.cut(this.byVerifier.get(verifier) ?? [], at, true);
  }
  /** Independent of the library: the registration covering `at`, and whether it allows the question. */
  answer(verifier: string, at: bigint, type: string, paths: ClaimPath[]): string {
    const list = this.byVerifier.get(verifier) ?? [];
    const covering = list.filter((r) => r.validFrom <= at && at < r.validUntil);
    if (covering.length > 1) throw new Error('overlapping registrations in the model');
    if (covering.length === 0) {
      const ended = list.filter((r) => r.validUntil !== r.validFrom && r.validUntil <= at).sort((a, b) => Number(a.validUntil - b.validUntil));
      if (ended.length > 0) return ended.at(-1)!.withdrawn ? 'withdrawn' : 'expired';
      if (list.some((r) => r.validUntil !== r.validFrom && r.validFrom > at)) return 'not_yet_valid';
      return list.some((r) => r.withdrawn) ? 'withdrawn' : 'not_registered';
    }
    const entries = covering[0].credentials.filter((c) => c.type === type);
    if (entries.length === 0) return 'type_not_allowed';
    const registered = entries.flatMap((e) => e.claims.map((c) => JSON.stringify(c)));
    const ok = paths.every((p) => registered.some((r) => r === '[]' || JSON.stringify(p) === r || JSON.stringify(p).startsWith(r.slice(0, -1) + ',')));
    return ok ? 'allowed' : 'claim_not_allowed';
  }
}

function randomScope(): VerifierScopeEntry[] {
  const types = TYPES.filter(() => randomInt(0, 2) === 0);
  return (types.length ? types : [TYPES[0]]).map((type) => ({ type, claims: PATHS.filter(() => randomInt(0, 3) === 0) }));
}

async function randomSteps(model: Model, verifiers: string[], count: number): Promise<void> {
  for (let step = 0; step < count; step++) {
    const verifier = verifiers[randomInt(0, verifiers.length)];
    const now = await chainNow();
    const roll = randomInt(0, 5);
    if (roll === 0) {
      await setNextBlockTime(f.provider, now + randomInt(1, 200));
    } else if (roll === 1) {
      const receipt = await registry.withdraw(verifier).catch((e: unknown) => revertName(e, registry.contract.interface));
      if (typeof receipt !== 'object') expect([receipt, model.withdraw(verifier, BigInt(now + 1))]).toEqual(['NothingToWithdraw', false]);
      else expect(model.withdraw(verifier, await blockTime(receipt.blockNumber))).toBe(true);
    } else {
      const validFrom = randomInt(0, 2) === 0 ? 0 : now + randomInt(1, 300);
      const validUntil = randomInt(0, 2) === 0 ? OPEN_ENDED : BigInt(Math.max(validFrom, now) + randomInt(50, 400));
      const credentials = randomScope();
      const receipt = await registry.register(verifier, { ...EMPLOYER_SCOPE, credentials, validFrom, validUntil });
      const at = await blockTime(receipt.blockNumber);
      model.register(verifier, BigInt(validFrom) > at ? BigInt(validFrom) : at, validUntil, credentials);
    }
  }
}

async function expectMirrorEqualsModel(mirror: VerifierMirror, model: Model, verifiers: string[]): Promise<void> {
  const now = BigInt(await chainNow());
  const times = new Set<bigint>([0n, now, now + 1000n]);
  for (const list of model.byVerifier.values()) for (const r of list) [r.validFrom - 1n, r.validFrom, r.validUntil - 1n, r.validUntil].forEach((t) => times.add(t));
  const seen: string[] = [];
  const expected: string[] = [];
  for (const verifier of [...verifiers, Wallet.createRandom().address]) {
    for (const t of [...times].filter((x) => x >= 0n && x < 2n ** 53n)) {
      for (const type of TYPES) {
        for (const paths of [[], [PATHS[1]], [PATHS[3]], [PATHS[2], PATHS[5]], [PATHS[0]]]) {
          const answer = mirror.mayAsk(did(verifier), type, paths, Number(t));
          seen.push(`${verifier} ${t} ${type} ${JSON.stringify(paths)} ${answer.allowed ? 'allowed' : answer.reason}`);
          expected.push(`${verifier} ${t} ${type} ${JSON.stringify(paths)} ${model.answer(verifier, t, type, paths)}`);
        }
      }
      // The chain agrees on which registration is in force.
      const [inForce, index] = await registry.contract.getFunction('registrationAt')(verifier, t);
      expect([verifier, t, mirror.registration(did(verifier), Number(t))?.index]).toEqual([verifier, t, inForce ? Number(index) : undefined]);
    }
  }
  expect(seen).toEqual(expected);
}

test('the mirror equals the chain and a reference model after random registration sequences', async () => {
  const model = new Model();
  const verifiers = [0, 1, 2].map(() => Wallet.createRandom().address);
  const incremental = mirrorOn(f.provider);
  for (let round = 0; round < 3; round++) {
    await randomSteps(model, verifiers, 10);
    await incremental.sync();
    await expectMirrorEqualsModel(incremental, model, verifiers);
  }
  const cold = mirrorOn(f.provider);
  const report = await cold.sync();
  expect(report.rebuilt).toBe(false);
  await expectMirrorEqualsModel(cold, model, verifiers);
});

test('registration() shows name, purpose, types by name and paths, and the period', async () => {
  const verifier = Wallet.createRandom().address;
  const receipt = await registry.register(verifier, { ...EMPLOYER_SCOPE, validUntil: 4_000_000_000 });
  const mirror = mirrorOn(f.provider);
  await mirror.sync();
  const registration = mirror.registration(did(verifier), await chainNow());
  expect(registration).toMatchObject({
    verifier,
    index: 0,
    name: EMPLOYER_SCOPE.name,
    purpose: EMPLOYER_SCOPE.purpose,
    validFrom: await blockTime(receipt.blockNumber),
    validUntil: 4_000_000_000n,
    withdrawn: false,
  });
  expect(registration!.credentials.map((c) => [c.type, c.claims])).toEqual(EMPLOYER_SCOPE.credentials.map((c) => [c.type, c.claims]));
  // Paths cover what lies under them, never what lies above; malformed input is refused, not thrown on.
  const ask = (type: string, paths: unknown[]) => mirror.mayAsk(did(verifier), type, paths as ClaimPath[], 3_999_999_999);
  expect(ask('EducationCredential', [['degree', 'code']]).allowed).toBe(true);
  expect(ask('EducationCredential', [[]])).toMatchObject({ allowed: false, reason: 'claim_not_allowed', claims: [[]] });
  expect(ask('EducationCredential', [['degree'], ['certificateNumber'], [1], 'x'])).toMatchObject({ reason: 'claim_not_allowed', claims: [['certificateNumber'], [1], 'x'] });
  expect(ask('PropertyCredential', [])).toMatchObject({ allowed: false, reason: 'type_not_allowed' });
  expect(mirror.mayAsk('did:ethr:0x1:' + verifier, 'EducationCredential', [], 3_999_999_999)).toMatchObject({ reason: 'not_registered' });
  expect(mirror.mayAsk(did(verifier), 'EducationCredential', [], 4_000_000_000)).toMatchObject({ reason: 'expired' });
});

/** A node that leaves out logs it is told to: what a faulty or lying RPC endpoint does. */
class DroppingProvider extends JsonRpcProvider {
  drop = (_log: Log) => false;
  override async getLogs(filter: Filter): Promise<Log[]> {
    return (await super.getLogs(filter)).filter((log) => !this.drop(log));
  }
}

test.each(['registration', 'withdrawal'])('a mirror missing a %s log answers unknown for everyone, then recovers', async (missing) => {
  const a = Wallet.createRandom().address;
  const b = Wallet.createRandom().address;
  const first = await registry.register(a, EMPLOYER_SCOPE);
  const withdrawal = await registry.withdraw(a);
  await registry.register(b, EMPLOYER_SCOPE);
  const provider = new DroppingProvider(chainUrl(), 31337, { staticNetwork: true, cacheTimeout: -1 });
  const dropped = missing === 'registration' ? first.hash : withdrawal.hash;
  provider.drop = (log) => log.transactionHash === dropped;
  const mirror = mirrorOn(provider);
  await mirror.sync();
  const now = await chainNow();
  // Not "allowed" for a, and not even for b, whose own logs arrived: the copy as a whole is not proved.
  expect(mirror.mayAsk(did(a), 'EducationCredential', [['degree']], now)).toEqual({ allowed: false, reason: 'unknown' });
  expect(mirror.mayAsk(did(b), 'EducationCredential', [['degree']], now)).toEqual({ allowed: false, reason: 'unknown' });
  expect(mirror.standing(did(a), now)).toEqual({ inForce: false, reason: 'unknown' });

  provider.drop = () => false;
  const recovered = await mirror.sync();
  expect(recovered.rebuilt).toBe(true);
  expect(mirror.mayAsk(did(a), 'EducationCredential', [['degree']], now)).toMatchObject({ allowed: false, reason: 'withdrawn' });
  expect(mirror.mayAsk(did(b), 'EducationCredential', [['degree']], now).allowed).toBe(true);
  provider.destroy();
});

test('a mirror that has not synced for too long answers unknown; a started one follows new blocks', async () => {
  let clock = 1_000_000;
  const stale = mirrorOn(f.provider, { now: () => clock, maxStalenessMs: 5000 });
  expect(stale.standing(did(f.governance.address), 0)).toEqual({ inForce: false, reason: 'unknown' }); // never synced
  await stale.sync();
  expect(stale.standing(did(f.governance.address), 0)).toEqual({ inForce: false, reason: 'not_registered' });
  clock += 5001;
  expect(stale.standing(did(f.governance.address), 0)).toEqual({ inForce: false, reason: 'unknown' });

  const verifier = Wallet.createRandom().address;
  const mirror = mirrorOn(f.provider, { pollIntervalMs: 50 });
  await mirror.start();
  try {
    await registry.register(verifier, EMPLOYER_SCOPE);
    const deadline = Date.now() + 10_000;
    while (!mirror.registration(did(verifier), await chainNow()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(mirror.registration(did(verifier), await chainNow())?.name.en).toBe('Example Employer');
  } finally {
    mirror.stop();
  }
});
