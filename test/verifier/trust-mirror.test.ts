import { TrustMirror, TrustRegistryClient } from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';

let f: Fixture;
beforeAll(async () => {
  f = await deployFixture();
});
afterAll(() => f?.provider.destroy());

test('the trust mirror answers like the TrustRegistry, from memory', async () => {
  const trust = new TrustRegistryClient(f.trustRegistry, f.governance);
  const a = (await fundedWallet(f.provider)).address;
  const b = (await fundedWallet(f.provider)).address;
  const t0 = 1_900_000_000;
  await trust.accredit(a, 'NationalIdCredential', t0, t0 + 1000);
  await trust.accredit(a, 'NationalIdCredential', t0 + 2000); // open-ended
  await trust.accredit(b, 'EducationCredential', t0 - 5000);
  await trust.withdraw(b, 'EducationCredential'); // ends now (chain time)

  const mirror = new TrustMirror({ provider: f.provider, registry: f.trustRegistry, fromBlock: f.deployBlock });
  expect(mirror.accreditationAt(a, 'NationalIdCredential', t0)).toBe('unknown'); // never synced
  const report = await mirror.sync();
  expect(report.logs).toBe(4);

  const chainNow = (await f.provider.getBlock('latest'))!.timestamp;
  const questions: Array<[string, string, number]> = [];
  for (const who of [a, b, f.governance.address]) {
    for (const type of ['NationalIdCredential', 'EducationCredential', 'PropertyCredential']) {
      for (const at of [t0 - 6000, t0 - 1, t0, t0 + 999, t0 + 1000, t0 + 1999, t0 + 2000, t0 + 10 ** 6, chainNow - 1, chainNow, chainNow + 1]) {
        questions.push([who, type, at]);
      }
    }
  }
  for (const [who, type, at] of questions) {
    expect([who, type, at, mirror.isAccredited(who, type, at)]).toEqual([who, type, at, await trust.isAccredited(who, type, at)]);
  }
  expect(mirror.accreditationAt(a, 'NationalIdCredential', t0 + 1500)).toBe('not_in_force');
  expect(mirror.accreditationAt(a, 'EducationCredential', t0)).toBe('other_types_only');
  expect(mirror.accreditationAt(f.governance.address, 'EducationCredential', t0)).toBe('never');
  expect(mirror.accreditationAt(b, 'EducationCredential', chainNow + 10)).toBe('not_in_force');

  // Following new blocks: a later accreditation appears after the next sync.
  await trust.accredit(b, 'PropertyCredential', t0);
  expect(mirror.isAccredited(b, 'PropertyCredential', t0)).toBe(false);
  await mirror.sync();
  expect(mirror.isAccredited(b, 'PropertyCredential', t0)).toBe(true);
});

test('a mirror that has not synced for too long answers unknown', async () => {
  let clock = 1_000_000;
  const mirror = new TrustMirror({ provider: f.provider, registry: f.trustRegistry, fromBlock: f.deployBlock, maxStalenessMs: 5000, now: () => clock });
  await mirror.sync();
  expect(mirror.accreditationAt(f.governance.address, 'NationalIdCredential', 0)).toBe('never');
  clock += 5001;
  expect(mirror.accreditationAt(f.governance.address, 'NationalIdCredential', 0)).toBe('unknown');
  expect(mirror.isAccredited(f.governance.address, 'NationalIdCredential', 0)).toBeUndefined();
});
