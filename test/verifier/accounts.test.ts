/**
 * Verifier accounts and who sees what, over real HTTP and the real chain: the admin API, API keys stored only
 * hashed, requests and results private to the account that made them, the wallet's outcome-only answer, and
 * challenges that only a completely verified presentation can use up (two replicas on one database).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VerifierRegistryClient, schemaReference } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import {
  VERIFIER_ADMIN_TOKEN,
  createChallenge,
  createVerifierAccount,
  chainClockOffsetMs,
  get,
  post,
  startTestVerifier,
  waitForMirrors,
  withKey,
  type ResultBody,
} from '../support/verifier.js';

const ID = 'NationalIdCredential';
const EDU = 'EducationCredential';
const admin = { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` };
const sqlitePath = path.join(mkdtempSync(path.join(tmpdir(), 'govcred-verifier-')), 'verifier.sqlite');

let f: Fixture;
let verifier: RunningVerifier;
let agency: TestAgency;
let bank: { id: string; apiKey: string };
let employer: { id: string; apiKey: string };
/** How far the verifier's clock runs ahead of this machine's: set to the chain's where a test needs chain time. */
let clockOffsetMs = 0;
const holder = new TestHolder();
const attacker = new TestHolder();

const idOf = async (to: TestHolder) => (await agency.issue({ type: ID, holder: to.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID) })).jwt;
const verifyBody = (vp: string, request: { challenge: string; domain: string; query?: unknown }) => ({
  verifiablePresentation: vp,
  options: { challenge: request.challenge, domain: request.domain, query: request.query },
});
/** POSTs a presentation and returns the raw text as well, to search it for personal data. */
async function presentRaw(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
}
/** Values of the sample ID card that must never reach a wallet-facing answer. */
const CLAIM_VALUES = Object.values(SAMPLE_CLAIMS[ID]).filter((v): v is string => typeof v === 'string' && v.length >= 4);

beforeAll(async () => {
  f = await deployFixture();
  agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 86_400 }]);
  verifier = await startTestVerifier(f, { VERIFIER_SQLITE_PATH: sqlitePath }, { now: () => new Date(Date.now() + clockOffsetMs) });
  bank = await createVerifierAccount(verifier.url, { 'zh-CN': '示例银行', en: 'Example Bank' });
  employer = await createVerifierAccount(verifier.url, 'Example Employer');
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

describe('admin API', () => {
  test('needs the admin token: none or a wrong one → 401 unauthorized', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-the-admin-token-at-all' }, { authorization: VERIFIER_ADMIN_TOKEN }, withKey(bank.apiKey)];
    for (const headers of attempts) {
      const created = await post(`${verifier.url}/admin/verifiers`, { name: 'Mallory' }, headers);
      const listed = await get(`${verifier.url}/admin/verifiers`, headers);
      expect([created.status, created.body.code, listed.status, listed.body.code]).toEqual([401, 'unauthorized', 401, 'unauthorized']);
    }
  });

  test.each<[string, unknown]>([
    ['no name', {}],
    ['blank name', { name: '   ' }],
    ['one language only', { name: { en: 'Bank' } }],
    ['unknown field', { name: 'Bank', apiKey: 'mine' }],
    ['not a did:ethr', { name: 'Bank', did: 'did:web:bank.example' }],
    ['a did:ethr of another chain', { name: 'Bank', did: `did:ethr:0x1:${holder.wallet.address}` }],
  ])('%s → 400 invalid_request', async (_name, body) => {
    const reply = await post(`${verifier.url}/admin/verifiers`, body, admin);
    expect([reply.status, reply.body.code]).toEqual([400, 'invalid_request']);
  });

  test('creates an account with both names and a DID, shows its key once, lists accounts without keys', async () => {
    // A DID must be registered on chain (see verifier-registration.test.ts).
    await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(holder.wallet.address, { ...EMPLOYER_SCOPE, validFrom: 0 });
    clockOffsetMs = await chainClockOffsetMs(f.provider); // the registration starts at block time
    const did = `did:ethr:0x7a69:${holder.wallet.address}`;
    const created = await post<{ id: string; name: unknown; did: string; apiKey: string }>(
      `${verifier.url}/admin/verifiers`,
      { name: { 'zh-CN': '示例用人单位', en: 'Example Employer' }, did },
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: { 'zh-CN': '示例用人单位', en: 'Example Employer' }, did });
    expect(created.body.apiKey).toMatch(/^gvk_[A-Za-z0-9_-]{43}$/);
    const list = await fetch(`${verifier.url}/admin/verifiers`, { headers: admin }).then((r) => r.text());
    const accounts = JSON.parse(list) as Array<{ id: string; name: { en: string } }>;
    expect(accounts.map((a) => a.id)).toEqual(expect.arrayContaining([bank.id, employer.id, created.body.id]));
    // A name given once serves both languages.
    expect(accounts.find((a) => a.id === employer.id)?.name).toEqual({ 'zh-CN': 'Example Employer', en: 'Example Employer' });
    for (const secret of [bank.apiKey, employer.apiKey, created.body.apiKey, 'apiKey', 'Hash', 'hash']) expect(list).not.toContain(secret);
  });

  test('API keys are stored only as their hash: the SQLite files hold the hash, never the key', async () => {
    const bytes = Buffer.concat(['', '-wal'].map((suffix) => readFileSync(sqlitePath + suffix, { flag: 'r' })));
    for (const key of [bank.apiKey, employer.apiKey]) {
      expect(bytes.includes(Buffer.from(createHash('sha256').update(key).digest('hex')))).toBe(true); // the scan does see what is stored
      expect(bytes.includes(Buffer.from(key))).toBe(false);
      expect(bytes.includes(Buffer.from(key.slice(4)))).toBe(false);
    }
  });
});

describe('challenges belong to the account that asked for them', () => {
  test('asking for one needs a valid key: none or a wrong one → 401 unauthorized', async () => {
    for (const headers of [{}, withKey('gvk_not-a-key'), withKey(''), admin, withKey('x'.repeat(500))]) {
      const reply = await post(`${verifier.url}/challenges`, {}, headers);
      expect([reply.status, reply.body.code]).toEqual([401, 'unauthorized']);
    }
  });

  test('each challenge is fresh, 256 bits, with the domain and an expiry', async () => {
    const [a, b] = [await createChallenge(verifier.url, bank.apiKey), await createChallenge(verifier.url, bank.apiKey)];
    expect(a.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.challenge).not.toBe(b.challenge);
    expect(a.domain).toBe('bank.example');
    expect(Date.parse(a.expiresAt) - Date.now() - clockOffsetMs).toBeGreaterThan(200_000); // CHALLENGE_TTL_SECONDS: 300
  });
});

describe('POST /presentations/verify: without a key the outcome, with the owner key the result', () => {
  test('without a key: {verified, problems:[{code, path}]} and no claim value', async () => {
    const request = await createChallenge(verifier.url, bank.apiKey, [{ type: ID, claims: ['name', 'citizenIdNumber', 'address'] }]);
    const vp = await holder.present([await idOf(holder)], request.challenge, request.domain);
    const answer = await presentRaw(verifier.url, verifyBody(vp, request));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ verified: true, problems: [] });
    for (const value of [...CLAIM_VALUES, holder.did]) expect(answer.text).not.toContain(value);
    // It used the challenge up: the owner's own try is a replay.
    const owner = await post<ResultBody>(`${verifier.url}/presentations/verify`, verifyBody(vp, request), withKey(bank.apiKey));
    expect(owner.body.problems.map((p) => p.code)).toEqual(['challenge_replayed']);
  });

  test("a failed answer without a key carries codes and paths only, even when the credentials' signatures held", async () => {
    const request = await createChallenge(verifier.url, bank.apiKey, [{ type: ID, claims: ['name'] }]);
    const vp = await holder.present([await idOf(holder)], request.challenge, 'evil.example');
    const answer = await presentRaw(verifier.url, verifyBody(vp, request));
    expect(answer.json.verified).toBe(false);
    expect(answer.json.problems).toEqual([{ code: 'domain_mismatch', path: 'verifiablePresentation' }]);
    for (const value of [...CLAIM_VALUES, holder.did, 'evil.example']) expect(answer.text).not.toContain(value);
  });

  test("with a key: a wrong key → 401; another account's challenge → challenge_unknown and left untouched", async () => {
    const request = await createChallenge(verifier.url, bank.apiKey, [{ type: ID }]);
    const vp = await holder.present([await idOf(holder)], request.challenge, request.domain);
    const wrong = await post(`${verifier.url}/presentations/verify`, verifyBody(vp, request), withKey('gvk_wrong'));
    expect([wrong.status, wrong.body.code]).toEqual([401, 'unauthorized']);
    const other = await post<ResultBody>(`${verifier.url}/presentations/verify`, verifyBody(vp, request), withKey(employer.apiKey));
    expect([other.status, other.body.verified, other.body.problems.map((p) => p.code)]).toEqual([200, false, ['challenge_unknown']]);
    const owner = await post<ResultBody>(`${verifier.url}/presentations/verify`, verifyBody(vp, request), withKey(bank.apiKey));
    expect(owner.body.problems).toEqual([]);
    expect(owner.body.credentials[0].claims.name).toBe(SAMPLE_CLAIMS[ID].name);
  });
});

describe('lock-out: only a completely verified presentation uses the challenge up', () => {
  test("garbage and an attacker's own valid presentation leave the challenge to the real holder", async () => {
    const request = await createChallenge(verifier.url, bank.apiKey, [{ type: EDU, claims: ['degree'] }]);
    const attempts = [
      'a.b.c',
      await attacker.present([await idOf(attacker)], request.challenge, request.domain), // valid, but not what was asked
      await attacker.present([], request.challenge, request.domain),
      await holder.present([await idOf(attacker)], request.challenge, request.domain), // someone else's credential
    ];
    for (const vp of attempts) {
      const { status, body } = await post<ResultBody>(`${verifier.url}/presentations/verify`, verifyBody(vp, request));
      expect([status, body.verified]).toEqual([200, false]);
      expect(body.problems.map((p) => p.code)).not.toContain('challenge_replayed');
    }

    const university = await TestAgency.create(f, [{ type: EDU, validFrom: nowSeconds() - 86_400 }]);
    await waitForMirrors(verifier, await f.provider.getBlockNumber());
    const diploma = await university.issue({ type: EDU, holder: holder.did, claims: SAMPLE_CLAIMS[EDU], schema: schemaReference(EDU) });
    const real = await post<ResultBody & { holder: string }>(
      `${verifier.url}/presentations/verify`,
      verifyBody(await holder.present([diploma.jwt], request.challenge, request.domain), request),
      withKey(bank.apiKey),
    );
    expect([real.body.verified, real.body.problems, real.body.holder]).toEqual([true, [], holder.did]);
    // Once used, every later attempt is a replay.
    const later = await post<ResultBody>(`${verifier.url}/presentations/verify`, verifyBody(attempts[1], request));
    expect(later.body.problems.map((p) => p.code)).toContain('challenge_replayed');
  });

  test('two replicas on one database: of concurrent verified presentations exactly one wins', async () => {
    const replica = await startTestVerifier(f, { VERIFIER_SQLITE_PATH: sqlitePath }, { now: () => new Date(Date.now() + clockOffsetMs) });
    try {
      await waitForMirrors(replica, await f.provider.getBlockNumber());
      const request = await createChallenge(replica.url, bank.apiKey, [{ type: ID }]);
      const jwt = await idOf(holder);
      const vps = await Promise.all([1, 2, 3].map((i) => holder.present([jwt], request.challenge, request.domain, { jti: `urn:uuid:vp-${i}` })));
      const replies = await Promise.all(
        [verifier, replica, verifier, replica, verifier, replica].map((v, i) => post<ResultBody>(`${v.url}/presentations/verify`, verifyBody(vps[i % 3], request))),
      );
      expect(replies.filter((r) => r.body.verified)).toHaveLength(1);
      expect(replies.filter((r) => r.body.problems.some((p) => p.code === 'challenge_replayed'))).toHaveLength(5);
    } finally {
      await replica.close();
    }
  });
});
