import { Wallet } from 'ethers';
import {
  OPEN_ENDED,
  TrustRegistryClient,
  VerifierRegistryClient,
  credentialTypeHash,
  registrationArguments,
  verifierContentHash,
  type VerifierRegistrationInput,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, setNextBlockTime, type Fixture } from '../support/chain.js';
import { revertOf } from '../support/revert.js';
import { privateChainPerFile } from '../support/private-chain.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';

let f: Fixture;
let registry: VerifierRegistryClient;
let verifier: string;

// This file moves the chain's clock ahead: on a chain of its own.
const chainUrl = privateChainPerFile();
beforeEach(async () => {
  f = await deployFixture(chainUrl());
  registry = new VerifierRegistryClient(f.verifierRegistry, f.governance);
  verifier = Wallet.createRandom().address;
});
afterEach(() => f.provider.destroy());

const revert = (promise: Promise<unknown>) => revertOf(promise, registry.contract.interface);
const chainNow = async () => (await f.provider.getBlock('latest'))!.timestamp;
const blockTime = async (blockNumber: number) => (await f.provider.getBlock(blockNumber))!.timestamp;
const input = (extra: Partial<VerifierRegistrationInput> = {}): VerifierRegistrationInput => ({ ...EMPLOYER_SCOPE, ...extra });
const parse = (logs: readonly { topics: readonly string[]; data: string }[]) => logs.map((l) => registry.contract.interface.parseLog(l)!);

test("only the TrustRegistry's governance registers and withdraws, and a governance transfer there applies here", async () => {
  const stranger = new VerifierRegistryClient(f.verifierRegistry, await fundedWallet(f.provider));
  expect(await revert(stranger.register(verifier, input()))).toBe('NotGovernance');
  await registry.register(verifier, input());
  expect(await revert(stranger.withdraw(verifier))).toBe('NotGovernance');
  expect(await registry.isRegistered(verifier, await chainNow())).toBe(true);

  const next = await fundedWallet(f.provider);
  const trust = new TrustRegistryClient(f.trustRegistry, f.governance);
  await (await trust.contract.getFunction('transferGovernance')(next.address)).wait();
  await (await new TrustRegistryClient(f.trustRegistry, next).contract.getFunction('acceptGovernance')()).wait();
  expect(await revert(registry.withdraw(verifier))).toBe('NotGovernance');
  await new VerifierRegistryClient(f.verifierRegistry, next).withdraw(verifier);
});

test('bad registrations are refused', async () => {
  const now = await chainNow();
  expect(await revert(registry.register('0x' + '00'.repeat(20), input()))).toBe('InvalidRegistration');
  expect(await revert(registry.register(verifier, input({ credentials: [] })))).toBe('InvalidRegistration');
  expect(await revert(registry.register(verifier, input({ validFrom: now + 100, validUntil: now + 100 })))).toBe('InvalidRegistration');
  // A period wholly in the past: it would start at the block's time, after its end.
  expect(await revert(registry.register(verifier, input({ validFrom: 10, validUntil: now - 5 })))).toBe('InvalidRegistration');
});

test('a registration never starts before its block, holds inside its window only, and validUntil is exclusive', async () => {
  const receipt = await registry.register(verifier, input({ validFrom: 1, validUntil: OPEN_ENDED }));
  const recorded = await blockTime(receipt.blockNumber);
  const [stored] = await registry.registrations(verifier);
  expect(stored).toMatchObject({ validFrom: BigInt(recorded), validUntil: OPEN_ENDED, withdrawn: false });
  expect(await registry.isRegistered(verifier, recorded - 1)).toBe(false); // not back-dated to 1

  const other = Wallet.createRandom().address;
  const t = (await chainNow()) + 1000;
  await registry.register(other, input({ validFrom: t, validUntil: t + 100 }));
  const at = (s: number) => registry.isRegistered(other, s);
  expect([await at(t - 1), await at(t), await at(t + 99), await at(t + 100)]).toEqual([false, true, true, false]);
});

test('withdrawal ends the registration at block time, empties a future one, keeps the past, and can be followed by a new one', async () => {
  const start = await chainNow();
  const r0 = await registry.register(verifier, input());
  const from0 = await blockTime(r0.blockNumber);
  await setNextBlockTime(f.provider, start + 500);
  const receipt = await registry.withdraw(verifier);
  const withdrawnAt = await blockTime(receipt.blockNumber);
  expect(await registry.isRegistered(verifier, withdrawnAt - 1)).toBe(true); // the past stays as it was
  expect(await registry.isRegistered(verifier, withdrawnAt)).toBe(false);
  expect(parse(receipt.logs).map((l) => [l.name, l.args.index, l.args.validUntil])).toEqual([['RegistrationWithdrawn', 0n, BigInt(withdrawnAt)]]);
  expect(await revert(registry.withdraw(verifier))).toBe('NothingToWithdraw');

  // Registered again for the future, then withdrawn before it began: emptied.
  const future = withdrawnAt + 10_000;
  await registry.register(verifier, input({ validFrom: future }));
  await registry.withdraw(verifier);
  expect(await registry.registrations(verifier)).toEqual([
    expect.objectContaining({ validFrom: BigInt(from0), validUntil: BigInt(withdrawnAt), withdrawn: true }),
    expect.objectContaining({ validFrom: BigInt(future), validUntil: BigInt(future), withdrawn: true }),
  ]);
  expect(await registry.isRegistered(verifier, future + 1)).toBe(false);
  await registry.register(verifier, input());
  expect(await registry.isRegistered(verifier, await chainNow())).toBe(true);
});

test('re-registration supersedes: the old one ends where the new one starts, so periods never overlap', async () => {
  const r0 = await registry.register(verifier, input());
  const from0 = await blockTime(r0.blockNumber);
  // An amendment scheduled for later: the current registration stays in force until then.
  const later = from0 + 5000;
  const narrower = input({ credentials: [{ type: 'EducationCredential', claims: [['degree']] }] });
  const r1 = await registry.register(verifier, { ...narrower, validFrom: later });
  expect(parse(r1.logs).map((l) => l.name)).toEqual(['RegistrationSuperseded', 'VerifierRegistered']);
  const [, index0] = await registry.contract.getFunction('registrationAt')(verifier, later - 1);
  const [, index1] = await registry.contract.getFunction('registrationAt')(verifier, later);
  expect([index0, index1]).toEqual([0n, 1n]);
  // An amendment from now: ends the current one now and empties the scheduled one.
  const r2 = await registry.register(verifier, input());
  const from2 = await blockTime(r2.blockNumber);
  expect(parse(r2.logs).map((l) => [l.name, l.args.index])).toEqual([
    ['RegistrationSuperseded', 1n],
    ['RegistrationSuperseded', 0n],
    ['VerifierRegistered', 2n],
  ]);
  const periods = (await registry.registrations(verifier)).map((r) => [r.validFrom, r.validUntil, r.withdrawn]);
  expect(periods).toEqual([
    [BigInt(from0), BigInt(from2), false],
    [BigInt(later), BigInt(later), false],
    [BigInt(from2), OPEN_ENDED, false],
  ]);
});

test('the event carries the whole content, and the stored hash is keccak256(abi.encode(scope, texts))', async () => {
  const receipt = await registry.register(verifier, input({ validUntil: 4_000_000_000 }));
  const [event] = parse(receipt.logs);
  const { scope, texts } = registrationArguments(EMPLOYER_SCOPE);
  expect(event.name).toBe('VerifierRegistered');
  expect(event.args.verifier).toBe(verifier);
  expect(event.args.validUntil).toBe(4_000_000_000n);
  expect(event.args.scope.map((s: { credentialType: string; claimPaths: string[] }) => [s.credentialType, [...s.claimPaths]])).toEqual([
    [credentialTypeHash('EducationCredential'), ['["degree"]', '["institution"]', '["institutionZh"]', '["graduationDate"]', '["holderName"]', '["holderNameZh"]']],
    [credentialTypeHash('NationalIdCredential'), ['["age_over_18"]']],
  ]);
  expect([event.args.texts.nameZh, event.args.texts.purposeEn]).toEqual([texts.nameZh, texts.purposeEn]);
  const [stored] = await registry.registrations(verifier);
  expect(stored.contentHash).toBe(verifierContentHash(scope, texts));
  expect(event.args.contentHash).toBe(stored.contentHash);
});

test('gas of register, re-register and withdraw (the demo employer: 2 types, 7 paths, bilingual texts)', async () => {
  const first = await registry.register(verifier, input());
  const again = await registry.register(verifier, input());
  const withdraw = await registry.withdraw(verifier);
  const gas = { register: Number(first.gasUsed), reRegister: Number(again.gasUsed), withdraw: Number(withdraw.gasUsed) };
  process.stdout.write(`VerifierRegistry gas: ${JSON.stringify(gas)}\n`);
  // Content lives in the event, not in storage: well under what seven stored strings would cost.
  expect(gas.register).toBeLessThan(150_000);
  expect(gas.withdraw).toBeLessThan(50_000);
});
