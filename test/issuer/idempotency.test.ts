import { DataSource } from 'typeorm';
import { IdempotencyService } from '../../apps/issuer/src/idempotency/idempotency.service.js';
import { VeramoService } from '../../apps/issuer/src/veramo/veramo.service.js';
import { holderDid, issueRequest } from './claims.js';
import { startHarness, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// Idempotency-Key on one issuer (SQLite); replicas.test.ts sends one key to two replicas on PostgreSQL.
let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['EducationCredential']);
});

afterAll(() => h?.close());

const withKey = (key: string) => agency.client.withHeaders({ 'idempotency-key': key });
const total = async () => (await agency.client.get('/credentials?limit=1')).body.total as number;

test('a retry with the same key gets the first answer: same status, same credential, one record', async () => {
  const before = await total();
  const body = issueRequest('EducationCredential', holderDid(1));
  const first = await withKey('order-0001').post('/credentials/issue', body);
  const again = await withKey('order-0001').post('/credentials/issue', body);
  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.body).toEqual(first.body);
  expect(await total()).toBe(before + 1);
  // Without a key every request is a new credential.
  const a = await agency.client.post('/credentials/issue', body);
  const b = await agency.client.post('/credentials/issue', body);
  expect(decodeJwt(a.body.verifiableCredential).payload.jti).not.toBe(decodeJwt(b.body.verifiableCredential).payload.jti);
});

test('the same key with another body, or on the other route, is 422 idempotency_key_reused', async () => {
  await withKey('order-0002').post('/credentials/issue', issueRequest('EducationCredential', holderDid(2)));
  const other = await withKey('order-0002').post('/credentials/issue', issueRequest('EducationCredential', holderDid(3)));
  expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
  const bulk = await withKey('order-0002').post('/credentials/issue/bulk', { items: [issueRequest('EducationCredential', holderDid(2))] });
  expect([bulk.status, bulk.body.code]).toEqual([422, 'idempotency_key_reused']);
});

test('keys are per agency', async () => {
  const other = await h.createAgency(['EducationCredential']);
  const body = issueRequest('EducationCredential', holderDid(4));
  const mine = await withKey('shared-key').post('/credentials/issue', body);
  const theirs = await other.client.withHeaders({ 'idempotency-key': 'shared-key' }).post('/credentials/issue', body);
  expect([mine.status, theirs.status]).toEqual([201, 201]);
  expect(decodeJwt(theirs.body.verifiableCredential).payload.iss).toBe(other.did);
});

test('a retry while the first is still being signed is 409 idempotency_key_in_progress, then gets the answer', async () => {
  const veramo = h.issuer.app.get(VeramoService);
  // Every format's provider signs through signJws.
  const sign = veramo.signJws.bind(veramo);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  veramo.signJws = async (...args) => {
    await gate;
    return sign(...args);
  };
  const body = issueRequest('EducationCredential', holderDid(5));
  try {
    const first = withKey('order-0005').post('/credentials/issue', body);
    await new Promise((r) => setTimeout(r, 200));
    const during = await withKey('order-0005').post('/credentials/issue', body);
    expect([during.status, during.body.code]).toEqual([409, 'idempotency_key_in_progress']);
    release();
    const answer = await first;
    expect(answer.status).toBe(201);
    expect((await withKey('order-0005').post('/credentials/issue', body)).body).toEqual(answer.body);
  } finally {
    veramo.signJws = sign;
  }
});

test('a failed first attempt gives the key up: the retry runs again', async () => {
  const bad = { credential: { type: ['VerifiableCredential', 'EducationCredential'], credentialSubject: { id: holderDid(6), degree: 'phd' } } };
  const first = await withKey('order-0006').post('/credentials/issue', bad);
  expect([first.status, first.body.code]).toEqual([400, 'invalid_claims']);
  const good = issueRequest('EducationCredential', holderDid(6));
  // A different body after a failure is not "reuse": nothing was stored for the key.
  expect((await withKey('order-0006').post('/credentials/issue', good)).status).toBe(201);
});

test.each([
  ['empty', ''],
  ['too long', 'k'.repeat(256)],
  ['spaces', 'two words'],
  ['quotes', '"quoted"'],
  ['non-ASCII', '密钥'],
])('a malformed key (%s) is 400 invalid_request', async (_name, key) => {
  const res = await fetch(`${h.issuer.url}/credentials/issue`, {
    method: 'POST',
    // fetch sends only Latin-1 header values: the UTF-8 bytes go as they would from a careless client.
    headers: { 'content-type': 'application/json', 'x-api-key': agency.apiKey, 'idempotency-key': Buffer.from(key).toString('latin1') },
    body: JSON.stringify(issueRequest('EducationCredential', holderDid(7))),
  });
  expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([400, 'invalid_request']);
});

test('a bulk job is created once per key', async () => {
  const body = { items: [issueRequest('EducationCredential', holderDid(8)), issueRequest('EducationCredential', holderDid(9))] };
  const first = await withKey('bulk-0001').post('/credentials/issue/bulk', body);
  const again = await withKey('bulk-0001').post('/credentials/issue/bulk', body);
  expect([first.status, again.status]).toEqual([202, 202]);
  expect(again.body).toEqual(first.body);
  const jobs = (await h.issuer.app.get(DataSource).query('SELECT COUNT(*) AS n FROM bulk_job WHERE agencyId = ?', [agency.id])) as Array<{ n: number }>;
  expect(jobs[0].n).toBe(1);
});

test('stored answers (signed credentials) are purged after their retention, and then the key starts afresh', async () => {
  const body = issueRequest('EducationCredential', holderDid(10));
  const first = await withKey('order-0010').post('/credentials/issue', body);
  const dataSource = h.issuer.app.get(DataSource);
  const stored = () => dataSource.query("SELECT body FROM idempotency_record WHERE key = 'order-0010'") as Promise<Array<{ body: string }>>;
  expect((await stored())[0].body).toContain(first.body.verifiableCredential);
  // Retention over (as if IDEMPOTENCY_TTL_MS had passed).
  await dataSource.query("UPDATE idempotency_record SET expiresAt = '2000-01-01T00:00:00.000Z' WHERE key = 'order-0010'");
  const service = h.issuer.app.get(IdempotencyService);
  (service as unknown as { lastPurge: number }).lastPurge = 0;
  await service.purgeExpired();
  expect(await stored()).toEqual([]);
  const later = await withKey('order-0010').post('/credentials/issue', body);
  expect(later.status).toBe(201);
  expect(later.body.verifiableCredential).not.toBe(first.body.verifiableCredential);
});
