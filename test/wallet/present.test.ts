import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { Wallet } from 'ethers';
import { VerifierRegistryClient, ethrDid, schemaReference } from '../../libs/credentials/src/index.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, jwtPayload } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, chainClockOffsetMs, get, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';
import { WalletUser } from '../support/wallet.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';

let f: Fixture;
let agency: TestAgency;
let verifier: RunningVerifier;
let user: WalletUser;
let apiKey: string;
const indexes: Record<string, number> = {};
const employerKey = Wallet.createRandom();

// The wallet answers OpenID4VP requests only (the earlier private request links are gone); the credentials here
// are JWT VCs, so each query asks by `type_values` and `credentialSubject` paths.
const jwtQuery = (type: string, ...paths: Array<Array<string | number | null>>) => ({
  credentials: [{ id: 'asked', format: 'jwt_vc_json', meta: { type_values: [[type]] }, claims: paths.map((path) => ({ path: ['credentialSubject', ...path] })) }],
});

async function ask(query: unknown): Promise<{ id: string; authorizationRequestUri: string }> {
  const created = await post<{ id: string; authorizationRequestUri: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: query }, withKey(apiKey));
  expect(created.status).toBe(201);
  return created.body;
}
const resultOf = async (id: string) =>
  (await get<{ status: string; result?: { verified: boolean; problems: Array<{ code: string }>; credentials: Array<{ type: string }> } }>(`${verifier.url}/oid4vp/requests/${id}`, withKey(apiKey))).body;

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
  await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(employerKey.address, EMPLOYER_SCOPE);
  // On chain time: other test files move the shared chain's clock ahead, and registrations are dated by blocks.
  const offsetMs = await chainClockOffsetMs(f.provider);
  verifier = await startTestVerifier(f, { VERIFIER_KEY_SECRET: 'ab'.repeat(32) }, { now: () => new Date(Date.now() + offsetMs) });
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  const account = await post<{ apiKey: string }>(
    `${verifier.url}/admin/verifiers`,
    { name: 'Employer', did: ethrDid(f.chainId, employerKey.address), signingKey: employerKey.privateKey },
    { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` },
  );
  expect(account.status).toBe(201);
  apiKey = account.body.apiKey;
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
  // These two carry no expiration date, said as such (it read "Valid until no expiry").
  expect(en.out).toMatch(/\[2\] .* — no expiry date — Status/);
  expect(en.out).not.toContain('Valid until no');
  const zh = await user.run('--lang', 'zh-CN', 'show', '1');
  expect(zh.out).toContain('居民身份证');
  expect(zh.out).toContain('测试局');
  expect(zh.out).toContain(String(SAMPLE_CLAIMS.NationalIdCredential.citizenIdNumber));
});

test('present: shows who asks for what, and after consent the verifier gets only what was asked', async () => {
  const request = await ask(jwtQuery('EducationCredential', ['degree']));
  user.answers = ['y'];
  const result = await user.run('present', request.authorizationRequestUri);
  expect([result.code, result.err]).toEqual([0, '']);
  expect(result.out).toContain('Registered on chain as: Example Employer');
  expect(user.asked).toEqual([expect.stringContaining('?')]);
  const body = await resultOf(request.id);
  expect([body.status, body.result?.verified]).toEqual(['verified', true]);
  // Only what was asked: the ID card stayed in the wallet.
  expect(body.result?.credentials.map((c) => c.type)).toEqual(['EducationCredential']);
});

test('refusing consent sends nothing', async () => {
  const request = await ask(jwtQuery('EducationCredential', ['degree']));
  user.answers = ['n'];
  const result = await user.run('present', request.authorizationRequestUri);
  expect(result.code).not.toBe(0);
  expect(result.err).toContain('You declined. Nothing was sent.');
  expect((await resultOf(request.id)).status).toBe('pending');
});

test('nested claim paths: the wallet reads them as the verifier does (full path, not the first segment)', async () => {
  // `degree` is a string: it has no `level`. Matching `degree` alone would send what the verifier refuses.
  const unanswerable = await ask(jwtQuery('EducationCredential', ['degree', 'level']));
  const refused = await user.run('present', '--yes', unanswerable.authorizationRequestUri);
  expect(refused.err).toContain('does not hold what this request asks for');
  expect((await resultOf(unanswerable.id)).status).toBe('pending');
  const answerable = await ask(jwtQuery('EducationCredential', ['degree'], ['institution']));
  expect((await user.run('present', '--yes', answerable.authorizationRequestUri)).code).toBe(0);
  expect((await resultOf(answerable.id)).result?.verified).toBe(true);
});

test('an unreachable request, a bad URI and the earlier private request links get clear errors', async () => {
  const unreachable = `openid4vp://?client_id=${encodeURIComponent(`decentralized_identifier:${ethrDid(f.chainId, employerKey.address)}`)}&request_uri=${encodeURIComponent('http://127.0.0.1:1/x')}`;
  expect((await user.run('present', '--yes', unreachable)).err).toContain('could not be reached');
  expect((await user.run('present', '--yes', 'not a url')).code).toBe(2);
  const old = await user.run('present', '--yes', `${verifier.url}/presentation-requests/00000000-0000-4000-8000-000000000000`);
  expect([old.code, old.err]).toEqual([2, expect.stringContaining('openid4vp://')]);
});

test('a revoked credential shows as revoked and is not offered', async () => {
  const block = await agency.revoke(indexes.EducationCredential);
  await waitForMirrors(verifier, block);
  expect((await user.run('list')).out).toMatch(/\[2\] .*REVOKED/);
  const request = await ask(jwtQuery('EducationCredential', ['degree']));
  const result = await user.run('present', '--yes', request.authorizationRequestUri);
  expect(result.err).toContain('does not hold what this request asks for');
  // Insisting (--any-status) leaves the decision to the verifier, which refuses it as revoked.
  // (A request object is fetched once: insisting answers a new request.)
  const again = await ask(jwtQuery('EducationCredential', ['degree']));
  const insisted = await user.run('present', '--yes', '--any-status', again.authorizationRequestUri);
  expect([insisted.code, insisted.err]).toEqual([0, '']);
  const body = await resultOf(again.id);
  expect([body.result?.verified, body.result?.problems.map((p) => p.code)]).toEqual([false, expect.arrayContaining(['credential_revoked'])]);
});
