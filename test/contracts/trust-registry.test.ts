import { Wallet } from 'ethers';
import { OPEN_ENDED, TrustRegistryClient, credentialTypeHash } from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, setNextBlockTime, type Fixture } from '../support/chain.js';
import { revertOf } from '../support/revert.js';
import { privateChainPerFile } from '../support/private-chain.js';

let f: Fixture;
let trust: TrustRegistryClient;
let issuer: Wallet;

// This file moves the chain's clock ahead: on a chain of its own.
const chainUrl = privateChainPerFile();
beforeEach(async () => {
  f = await deployFixture(chainUrl());
  trust = new TrustRegistryClient(f.trustRegistry, f.governance);
  issuer = await fundedWallet(f.provider);
});
afterEach(() => f.provider.destroy());

const revert = (promise: Promise<unknown>) => revertOf(promise, trust.contract.interface);

async function chainNow(): Promise<number> {
  return (await f.provider.getBlock('latest'))!.timestamp;
}

test('only governance accredits and withdraws', async () => {
  const stranger = new TrustRegistryClient(f.trustRegistry, await fundedWallet(f.provider));
  expect(await revert(stranger.accredit(issuer.address, 'NationalIdCredential', 0))).toBe('NotGovernance');
  await trust.accredit(issuer.address, 'NationalIdCredential', 0);
  expect(await revert(stranger.withdraw(issuer.address, 'NationalIdCredential'))).toBe('NotGovernance');
  expect(await trust.isAccredited(issuer.address, 'NationalIdCredential', await chainNow())).toBe(true);
});

test('an accreditation holds for its type inside its window only', async () => {
  const t = (await chainNow()) + 1000;
  await trust.accredit(issuer.address, 'EducationCredential', t, t + 100);
  const at = (s: number, type = 'EducationCredential') => trust.isAccredited(issuer.address, type, s);
  expect(await at(t - 1)).toBe(false);
  expect(await at(t)).toBe(true);
  expect(await at(t + 99)).toBe(true);
  expect(await at(t + 100)).toBe(false); // validUntil is exclusive
  expect(await at(t + 50, 'PropertyCredential')).toBe(false); // accredited for another type only
  expect(await trust.isAccredited(Wallet.createRandom().address, 'EducationCredential', t + 50)).toBe(false);
});

test('bad windows are refused', async () => {
  expect(await revert(trust.accredit(issuer.address, 'X', 100, 100))).toBe('InvalidAccreditation');
  expect(await revert(trust.accredit(issuer.address, 'X', 100, 50))).toBe('InvalidAccreditation');
  expect(await revert(trust.accredit('0x' + '00'.repeat(20), 'X', 0, 50))).toBe('InvalidAccreditation');
});

test('withdrawal ends the accreditation now and keeps the past', async () => {
  const start = await chainNow();
  await trust.accredit(issuer.address, 'PropertyCredential', start - 1000);
  const future = start + 10_000;
  await trust.accredit(issuer.address, 'PropertyCredential', future, future + 10);
  await setNextBlockTime(f.provider, start + 500);
  const receipt = await trust.withdraw(issuer.address, 'PropertyCredential');
  const withdrawnAt = (await f.provider.getBlock(receipt.blockNumber))!.timestamp;
  expect(await trust.isAccredited(issuer.address, 'PropertyCredential', start)).toBe(true); // issued before: still fine
  expect(await trust.isAccredited(issuer.address, 'PropertyCredential', withdrawnAt - 1)).toBe(true);
  expect(await trust.isAccredited(issuer.address, 'PropertyCredential', withdrawnAt)).toBe(false);
  expect(await trust.isAccredited(issuer.address, 'PropertyCredential', future + 5)).toBe(false); // future period emptied
  expect(await trust.accreditations(issuer.address, 'PropertyCredential')).toEqual([
    { validFrom: BigInt(start - 1000), validUntil: BigInt(withdrawnAt) },
    { validFrom: BigInt(future), validUntil: BigInt(future) },
  ]);
  expect(await revert(trust.withdraw(issuer.address, 'PropertyCredential'))).toBe('NothingToWithdraw');
  // Accrediting again opens a new period.
  await trust.accredit(issuer.address, 'PropertyCredential', withdrawnAt + 100, OPEN_ENDED);
  expect(await trust.isAccredited(issuer.address, 'PropertyCredential', withdrawnAt + 100)).toBe(true);
});

test('every change is an event', async () => {
  const now = await chainNow();
  const r1 = await trust.accredit(issuer.address, 'NationalIdCredential', 10, now + 1000);
  const r2 = await trust.withdraw(issuer.address, 'NationalIdCredential');
  const parse = (logs: typeof r1.logs) => logs.map((l) => trust.contract.interface.parseLog(l)!);
  const [accredited] = parse(r1.logs);
  expect(accredited.name).toBe('Accredited');
  expect(accredited.args.issuer).toBe(issuer.address);
  expect(accredited.args.credentialType).toBe(credentialTypeHash('NationalIdCredential'));
  expect([accredited.args.validFrom, accredited.args.validUntil]).toEqual([10n, BigInt(now + 1000)]);
  const [withdrawn] = parse(r2.logs);
  expect(withdrawn.name).toBe('AccreditationWithdrawn');
  expect(withdrawn.args.validUntil).toBe(BigInt((await f.provider.getBlock(r2.blockNumber))!.timestamp));
  // A period already over is left alone: nothing to withdraw.
  await trust.accredit(issuer.address, 'EducationCredential', 10, 20);
  expect(await revert(trust.withdraw(issuer.address, 'EducationCredential'))).toBe('NothingToWithdraw');
});

test('governance is handed over in two steps', async () => {
  const next = await fundedWallet(f.provider);
  const nextClient = new TrustRegistryClient(f.trustRegistry, next);
  await (await trust.contract.getFunction('transferGovernance')(next.address)).wait();
  expect(await revert(new TrustRegistryClient(f.trustRegistry, issuer).contract.getFunction('acceptGovernance')())).toBe(
    'NotPendingGovernance',
  );
  await (await nextClient.contract.getFunction('acceptGovernance')()).wait();
  expect(await trust.contract.getFunction('governance')()).toBe(next.address);
  expect(await revert(trust.accredit(issuer.address, 'X', 0))).toBe('NotGovernance');
  await nextClient.accredit(issuer.address, 'X', 0);
});
