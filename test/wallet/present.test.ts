import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { schemaReference } from '../../libs/credentials/src/index.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, jwtPayload } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { createRequest, createVerifierAccount, get, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';
import { WalletUser } from '../support/wallet.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';

let f: Fixture;
let agency: TestAgency;
let verifier: RunningVerifier;
let user: WalletUser;
let apiKey: string;
const indexes: Record<string, number> = {};

/** Puts a credential issued by the test agency straight into the wallet (receiving over OID4VCI is tested elsewhere). */
async function give(type: 'NationalIdCredential' | 'EducationCredential'): Promise<void> {
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const { jwt, index } = await agency.issue({ type, holder: store.data.holder.did, claims: SAMPLE_CLAIMS[type], schema: schemaReference(type) });
  indexes[type] = index;
  store.data.credentials.push({
    id: String(jwtPayload(jwt).jti),
    format: 'jwt_vc_json',
    jwt,
    type,
    issuer: agency.did,
    issuerName: { en: 'Test Bureau', 'zh-CN': '测试局' },
    receivedAt: new Date().toISOString(),
  });
  await store.save();
}

beforeAll(async () => {
  f = await deployFixture();
  agency = await TestAgency.create(f, [{ type: 'NationalIdCredential' }, { type: 'EducationCredential' }]);
  verifier = await startTestVerifier(f);
  ({ apiKey } = await createVerifierAccount(verifier.url));
  user = new WalletUser(f);
  expect((await user.run('init')).code).toBe(0);
  await give('NationalIdCredential');
  await give('EducationCredential');
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
});
afterAll(async () => {
  await verifier.close();
  f.provider.destroy();
});

test('list shows each credential with its label, issuer and status from the chain, in both languages', async () => {
  const en = await user.run('list');
  expect(en.code).toBe(0);
  expect(en.out).toMatch(/\[1\] Resident Identity Card.*Test Bureau.*Status: valid/);
  expect(en.out).toMatch(/\[2\] .*Test Bureau.*Status: valid/);
  const zh = await user.run('--lang', 'zh-CN', 'show', '1');
  expect(zh.out).toContain('居民身份证');
  expect(zh.out).toContain('测试局');
  expect(zh.out).toContain(String(SAMPLE_CLAIMS.NationalIdCredential.citizenIdNumber));
});

test('present: shows who asks for what, and after consent the verifier accepts', async () => {
  const request = await createRequest(verifier.url, apiKey, [{ type: 'NationalIdCredential', claims: ['nameZh', 'birthDate'] }]);
  user.answers = ['y'];
  const result = await user.run('present', `${verifier.url}/presentation-requests/${request.id}`);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  expect(result.out).toContain('Request from: bank.example');
  expect(result.out).toContain('The verifier accepted your presentation.');
  expect(user.asked).toEqual([expect.stringContaining('Share these credentials?')]);
  const stored = await get<{ result?: { verified: boolean; credentials: Array<{ type: string }> } }>(
    `${verifier.url}/presentation-requests/${request.id}`,
    withKey(apiKey),
  );
  expect(stored.body.result?.verified).toBe(true);
  // Only what was asked: the diploma stayed in the wallet.
  expect(stored.body.result?.credentials.map((c) => c.type)).toEqual(['NationalIdCredential']);
});

test('refusing consent sends nothing', async () => {
  const request = await createRequest(verifier.url, apiKey, [{ type: 'EducationCredential' }]);
  user.answers = ['n'];
  const result = await user.run('present', `${verifier.url}/presentation-requests/${request.id}`);
  expect(result.code).not.toBe(0);
  expect(result.err).toContain('You declined. Nothing was sent.');
  const stored = await get<{ state: string; result?: unknown }>(`${verifier.url}/presentation-requests/${request.id}`, withKey(apiKey));
  expect(stored.body.result).toBeUndefined();
  expect(stored.body.state).toBe('pending');
});

test('a request the wallet cannot satisfy is explained and nothing is sent', async () => {
  const request = await createRequest(verifier.url, apiKey, [{ type: 'PropertyCredential' }]);
  const result = await user.run('present', '--yes', `${verifier.url}/presentation-requests/${request.id}`);
  expect(result.code).not.toBe(0);
  expect(result.err).toContain('does not hold what this request asks for');
  expect((await get<{ result?: unknown }>(`${verifier.url}/presentation-requests/${request.id}`, withKey(apiKey))).body.result).toBeUndefined();
});

test('nested claim paths: the wallet reads them as the verifier does (full path, not the first segment)', async () => {
  // `address` is a string: it has no `city`. The wallet once matched `address` alone and sent what the verifier refused.
  const unanswerable = await createRequest(verifier.url, apiKey, [{ type: 'NationalIdCredential', claims: ['address.city'] }]);
  const refused = await user.run('present', '--yes', `${verifier.url}/presentation-requests/${unanswerable.id}`);
  expect(refused.err).toContain('does not hold what this request asks for');
  expect((await get<{ result?: unknown }>(`${verifier.url}/presentation-requests/${unanswerable.id}`, withKey(apiKey))).body.result).toBeUndefined();
  // A DCQL path to a member that exists is answered, and the verifier agrees.
  const answerable = await createRequest(verifier.url, apiKey, [{ type: 'NationalIdCredential', claims: [['nameZh'], 'birthDate'] }]);
  const sent = await user.run('present', '--yes', `${verifier.url}/presentation-requests/${answerable.id}`);
  expect([sent.code, sent.out]).toEqual([0, expect.stringContaining('The verifier accepted your presentation.')]);
});

test('an unreachable verifier and a bad URL get clear errors', async () => {
  expect((await user.run('present', '--yes', 'http://127.0.0.1:1/presentation-requests/x')).err).toContain('could not be reached');
  expect((await user.run('present', '--yes', 'not a url')).code).toBe(2);
  expect((await user.run('present', '--yes', `${verifier.url}/presentation-requests/00000000-0000-4000-8000-000000000000`)).err).toContain(
    'not a valid presentation request',
  );
});

test('a revoked credential shows as revoked and is not offered', async () => {
  const block = await agency.revoke(indexes.EducationCredential);
  await waitForMirrors(verifier, block);
  expect((await user.run('list')).out).toMatch(/\[2\] .*REVOKED/);
  const request = await createRequest(verifier.url, apiKey, [{ type: 'EducationCredential' }]);
  const result = await user.run('present', '--yes', `${verifier.url}/presentation-requests/${request.id}`);
  expect(result.err).toContain('does not hold what this request asks for');
  // Insisting (--any-status) leaves the decision to the verifier, which refuses it as revoked.
  const insisted = await user.run('present', '--yes', '--any-status', `${verifier.url}/presentation-requests/${request.id}`);
  expect(insisted.code).toBe(3);
  expect(insisted.out).toContain('did NOT accept');
  expect(insisted.out).toContain('credential_revoked');
});
