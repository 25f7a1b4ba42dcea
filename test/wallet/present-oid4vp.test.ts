/**
 * The project's wallet answers OpenID4VP 1.0 requests of the real verifier (both formats, both response modes),
 * refuses unregistered, withdrawn and over-asking verifiers from the registry on chain, keeps consent receipts,
 * and puts no undisclosed claim on the wire.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { Wallet } from 'ethers';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { VerifierRegistryClient, ethrDid, getCredentialType, issueSdJwtVc, schemaReference, statusEntries, vctOf } from '../../libs/credentials/src/index.js';
import { serveSignedRequest } from '../../scripts/lib/self-served-request.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, jwtPayload } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, chainClockOffsetMs, get, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';
import { WalletUser } from '../support/wallet.js';

let f: Fixture;
let verifier: RunningVerifier;
let apiKey: string;
let user: WalletUser;
let idAgency: TestAgency;
let uni: TestAgency;
let offsetMs = 0;
const employerKey = Wallet.createRandom();
const now = () => new Date(Date.now() + offsetMs);

const ID_VCT = vctOf(getCredentialType('NationalIdCredential')!);
const AGE_QUERY = { credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: [{ path: ['age_over_18'] }] }] };
const DEGREE_QUERY = {
  credentials: [{ id: 'diploma', format: 'jwt_vc_json', meta: { type_values: [['EducationCredential']] }, claims: [{ path: ['credentialSubject', 'degree'] }] }],
};
const ID_NUMBER_QUERY = { credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: [{ path: ['citizenIdNumber'] }] }] };

/** An SD-JWT VC ID card bound to a fresh P-256 key, put straight into the wallet (receiving is tested elsewhere). */
async function giveIdCard(): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const signer = idAgency.identity;
  const sdJwt = await issueSdJwtVc({
    type: 'NationalIdCredential',
    claims: SAMPLE_CLAIMS.NationalIdCredential,
    issuerDid: idAgency.did,
    kid: `${idAgency.did}#controller`,
    signer: async (input) => {
      const s = signer.signingKey.sign(createHash('sha256').update(input, 'ascii').digest());
      return Buffer.concat([Buffer.from(s.r.slice(2), 'hex'), Buffer.from(s.s.slice(2), 'hex')]).toString('base64url');
    },
    holderJwk: { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y },
    statusEntries: statusEntries({ chainId: f.chainId, statusRegistry: f.statusRegistry, owner: idAgency.address, revocationListId: TestAgency.REVOCATION_LIST, suspensionListId: TestAgency.SUSPENSION_LIST, index: Math.floor(Math.random() * 2 ** 17) }),
    // Issued by the machine's clock, as an issuer does: other test files may have moved the shared chain's clock
    // ahead, and a credential dated by it would not yet be valid for the wallet's own view.
    now: new Date(Date.now() - 60_000),
  });
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  store.data.credentials.push({ id: 'id-card', format: 'dc+sd-jwt', jwt: sdJwt, holderKey: { alg: 'ES256', jwk }, type: 'NationalIdCredential', issuer: idAgency.did, issuerName: { en: 'Test Bureau', 'zh-CN': '测试局' }, receivedAt: new Date().toISOString() });
  await store.save();
}

async function giveDiploma(): Promise<void> {
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const { jwt } = await uni.issue({ type: 'EducationCredential', holder: store.data.holder.did, claims: SAMPLE_CLAIMS.EducationCredential, schema: schemaReference('EducationCredential') });
  store.data.credentials.push({ id: String(jwtPayload(jwt).jti), format: 'jwt_vc_json', jwt, type: 'EducationCredential', issuer: uni.did, receivedAt: new Date().toISOString() });
  await store.save();
}

async function ask(query: unknown, responseMode = 'direct_post') {
  const created = await post<{ id: string; authorizationRequestUri: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: query, response_mode: responseMode }, withKey(apiKey));
  expect(created.status).toBe(201);
  return created.body;
}
const resultOf = async (id: string) =>
  (await get<{ status: string; result?: { verified: boolean; problems: Array<{ code: string }>; credentials: Array<{ claims: Record<string, unknown> }> } }>(`${verifier.url}/oid4vp/requests/${id}`, withKey(apiKey))).body;

/** Every readable text of a posted form: the vp_token's JWT parts and SD-JWT disclosures, base64url-decoded. */
function decodedWire(body: string): string {
  const vpToken = new URLSearchParams(body).get('vp_token') ?? '';
  const parts = vpToken.split(/[~."\[\],{}:]/).filter((p) => p.length > 8);
  return [body, ...parts.map((p) => Buffer.from(p, 'base64url').toString('utf8'))].join('\n');
}

beforeAll(async () => {
  f = await deployFixture();
  offsetMs = await chainClockOffsetMs(f.provider);
  idAgency = await TestAgency.create(f, [{ type: 'NationalIdCredential' }]);
  uni = await TestAgency.create(f, [{ type: 'EducationCredential' }]);
  await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(employerKey.address, EMPLOYER_SCOPE);
  verifier = await startTestVerifier(f, { VERIFIER_KEY_SECRET: 'cd'.repeat(32) }, { now });
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  const account = await post<{ apiKey: string }>(
    `${verifier.url}/admin/verifiers`,
    { name: 'Employer', did: ethrDid(f.chainId, employerKey.address), signingKey: employerKey.privateKey },
    { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` },
  );
  apiKey = account.body.apiKey;
  user = new WalletUser(f);
  user.now = now;
  expect((await user.run('init')).code).toBe(0);
  await giveIdCard();
  await giveDiploma();
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

describe.each(['direct_post', 'direct_post.jwt'])('the wallet over %s', (mode) => {
  test('SD-JWT VC: shows the registered name and purpose, discloses age_over_18 alone, the verifier verifies', async () => {
    const request = await ask(AGE_QUERY, mode);
    user.answers = ['y'];
    user.posted = [];
    const run = await user.run('present', request.authorizationRequestUri);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(run.out).toContain('Registered on chain as: Example Employer');
    expect(run.out).toContain(`Purpose: ${EMPLOYER_SCOPE.purpose.en}`);
    expect(run.out).toMatch(/leaves your wallet: [^\n]*18/);
    expect(run.out).toMatch(/stays hidden: [^\n]*/);
    expect(run.out).toContain('Claims disclosed ÷ claims asked: 1 ÷ 1');
    expect(run.out).toContain('acknowledged');
    const body = await resultOf(request.id);
    expect([body.status, body.result?.credentials[0]?.claims]).toEqual(['verified', { age_over_18: true }]);
    // Wire capture: no value of an undisclosed claim left the wallet (direct_post.jwt is encrypted whole).
    expect(user.posted).toHaveLength(1);
    const wire = decodedWire(user.posted[0]!);
    if (mode === 'direct_post') expect(wire).toContain('age_over_18');
    for (const hidden of [SAMPLE_CLAIMS.NationalIdCredential.citizenIdNumber, SAMPLE_CLAIMS.NationalIdCredential.nameZh, SAMPLE_CLAIMS.NationalIdCredential.birthDate]) {
      expect(wire).not.toContain(String(hidden));
    }
  });

  test('JWT VC: a VP-JWT bound to nonce and client_id; the verifier verifies', async () => {
    const request = await ask(DEGREE_QUERY, mode);
    const run = await user.run('present', '--yes', request.authorizationRequestUri);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(run.out).toContain('shown whole');
    const body = await resultOf(request.id);
    expect([body.status, body.result?.problems]).toEqual(['verified', []]);
  });
});

describe('the wallet refuses, saying why, and sends nothing', () => {
  const refuse = async (key: { privateKey: string; address: string }, query: unknown, reason: RegExp) => {
    const served = await serveSignedRequest({ chainId: f.chainId, privateKeyHex: key.privateKey, address: key.address, dcqlQuery: query });
    try {
      user.asked = [];
      const run = await user.run('present', '--yes', served.uri);
      expect(run.code).not.toBe(0);
      expect(run.err).toMatch(reason);
      expect([served.responses, user.asked]).toEqual([[], []]);
      return run;
    } finally {
      await served.close();
    }
  };

  test('an unregistered verifier asking for the ID number', async () => {
    await refuse(Wallet.createRandom(), ID_NUMBER_QUERY, /not registered on the chain/);
  });

  test('a withdrawn verifier', async () => {
    const withdrawn = Wallet.createRandom();
    const registry = new VerifierRegistryClient(f.verifierRegistry, f.governance);
    await registry.register(withdrawn.address, EMPLOYER_SCOPE);
    await registry.withdraw(withdrawn.address);
    await refuse(withdrawn, AGE_QUERY, /withdrew/);
  });

  test('a registered verifier asking beyond its registration (a request object the service would never create)', async () => {
    const run = await refuse(employerKey, ID_NUMBER_QUERY, /more than the verifier is registered for/);
    expect(run.out).toContain('Registered on chain as: Example Employer');
    expect(run.out).toContain('NationalIdCredential: citizenIdNumber');
  });

  test('the citizen declines', async () => {
    const request = await ask(AGE_QUERY);
    user.answers = ['n'];
    const run = await user.run('present', request.authorizationRequestUri);
    expect(run.code).not.toBe(0);
    expect((await resultOf(request.id)).status).toBe('pending');
  });
});

test('history lists every receipt, newest first, in both languages; receipts live in the encrypted file', async () => {
  const en = await user.run('history');
  expect(en.code).toBe(0);
  expect(en.out).toMatch(/Who looked at your data \(\d+\)/);
  for (const outcome of ['presented', 'declined by you', 'refused by your wallet']) expect(en.out).toContain(outcome);
  expect(en.out).toContain('Example Employer');
  const zh = await user.run('--lang', 'zh-CN', 'history');
  expect(zh.out).toContain('谁查看过我的数据');
  expect(zh.out).toContain('示例用人单位');
  const receipts = JSON.parse((await user.run('history', '--json')).out) as Array<{ outcome: string; reason?: string; requestHash?: string; disclosed: Array<{ claims: string[] }> }>;
  expect(receipts.filter((r) => r.outcome === 'presented')).toHaveLength(4);
  expect(receipts.filter((r) => r.outcome === 'refused').map((r) => r.reason).sort()).toEqual(['request_beyond_registration', 'verifier_not_registered', 'verifier_withdrawn']);
  expect(receipts.every((r) => /^sha256:[0-9a-f]{64}$/.test(r.requestHash ?? ''))).toBe(true);
  expect(receipts.find((r) => r.outcome === 'presented' && r.disclosed[0]?.claims.includes('age_over_18'))?.disclosed[0]?.claims).toEqual(['age_over_18']);
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  expect(store.data.receipts).toHaveLength(receipts.length);
});
