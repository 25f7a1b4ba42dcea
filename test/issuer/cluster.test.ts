/**
 * The issuer on two worker processes sharing one port and ONE SQLite file (ISSUER_CLUSTER_WORKERS=2), as
 * `node main.js` runs it, raced over fresh connections (each reaches the next worker): issuance (status index
 * reservations, the audit chain), a bulk job both workers take chunks of, Idempotency-Key, a pre-authorized code,
 * status transitions, the anchoring lease.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { deployFixture, type Fixture } from '../support/chain.js';
import { request, startClustered, type ClusteredService } from '../support/clustered-service.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { holderDid, issueRequest } from './claims.js';
import { ADMIN_TOKEN, issuerEnv, tempDir, waitFor } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';
import { preAuthorizedCodeOf } from '../support/offer-code.js';

let f: Fixture;
let service: ClusteredService;
let sqlitePath: string;
const temp = tempDir();
let agency: { id: string; apiKey: string; identityAddress: string };

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const key = () => ({ 'x-api-key': agency.apiKey });
const post = (route: string, body: unknown, headers: Record<string, string> = key()) => request('POST', `${service.url}${route}`, body, headers);
const get = (route: string, headers: Record<string, string> = key()) => request('GET', `${service.url}${route}`, undefined, headers);
/** Reads the shared SQLite file beside the workers (WAL: readers never block them). */
const sql = <T = any>(query: string, ...params: unknown[]): T[] => {
  const db = new Database(sqlitePath, { readonly: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
};
const indexOf = (jwt: string) => Number((decodeJwt(jwt).payload.vc as { credentialStatus: Array<{ statusListIndex: string }> }).credentialStatus[0].statusListIndex);

beforeAll(async () => {
  f = await deployFixture();
  sqlitePath = path.join(temp.dir, 'issuer.sqlite');
  service = await startClustered('issuer', { ...(await issuerEnv(f, sqlitePath)), ISSUER_CLUSTER_WORKERS: '2' }, '/docs-json');
  const created = await post('/admin/agencies', { nameZh: '南京大学', nameEn: 'Nanjing University', credentialTypes: ['EducationCredential'], ownerAddress: Wallet.createRandom().address }, admin);
  expect(created.status).toBe(201);
  agency = created.body;
});

afterAll(async () => {
  if (service && service.primary.exitCode === null) service.primary.kill('SIGKILL');
  f?.provider.destroy();
  temp.remove();
});

test('two workers serve one port', () => {
  expect(service.workerPids()).toHaveLength(2);
});

test('concurrent issuance at both workers: all succeed, unique status indexes, one audit chain without gap or fork', async () => {
  const before = (await get('/admin/audit/check', admin)).body.entries as number;
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => post('/credentials/issue', issueRequest('EducationCredential', holderDid(i)))));
  expect(answers.filter((a) => a.status !== 201).map((a) => [a.status, a.text.slice(0, 200)])).toEqual([]);
  const indexes = answers.map((a) => indexOf(a.body.verifiableCredential));
  expect(new Set(indexes).size).toBe(60);
  const rows = sql<{ statusIndex: number }>('SELECT statusIndex FROM issued_credential WHERE agencyId = ?', agency.id);
  expect(new Set(rows.map((r) => r.statusIndex))).toEqual(new Set(indexes));
  expect((await get('/admin/audit/check', admin)).body).toMatchObject({ valid: true, problems: [], entries: before + 60 });
  const seqs = sql<{ seq: number }>('SELECT seq FROM audit_entry ORDER BY seq').map((r) => Number(r.seq));
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
});

test('a bulk job is worked by both workers: every item issued once, one audit chain', async () => {
  const total = 1000;
  const before = (await get('/admin/audit/check', admin)).body.entries as number;
  const job = await post('/credentials/issue/bulk', { items: Array.from({ length: total }, (_, i) => issueRequest('EducationCredential', holderDid(10_000 + i))) });
  expect(job.status).toBe(202);
  const done = await waitFor(async () => {
    const res = await get(`/credentials/issue/bulk/${job.body.id}`);
    return res.body.state === 'done' ? res.body : undefined;
  }, 120_000, 50);
  expect(done).toMatchObject({ total, processed: total, succeeded: total, failed: 0 });
  const items = sql<{ credentialId: string; takenBy: string | null }>('SELECT credentialId, takenBy FROM bulk_item WHERE jobId = ? AND state = ?', job.body.id, 'issued');
  expect(items).toHaveLength(total);
  expect(new Set(items.map((i) => i.credentialId)).size).toBe(total);
  expect(items.filter((i) => i.takenBy !== null)).toEqual([]);
  const records = sql<{ n: number }>('SELECT COUNT(*) AS n FROM issued_credential WHERE id IN (SELECT credentialId FROM bulk_item WHERE jobId = ?)', job.body.id);
  expect(records[0].n).toBe(total);
  expect((await get('/admin/audit/check', admin)).body).toMatchObject({ valid: true, problems: [], entries: before + total });
});

test('one Idempotency-Key sent to both workers at once yields one credential', async () => {
  for (let i = 0; i < 4; i++) {
    const body = issueRequest('EducationCredential', holderDid(100 + i));
    const headers = { ...key(), 'idempotency-key': `enrolment-${i}` };
    const replies = await Promise.all([0, 1, 2, 3].map(() => post('/credentials/issue', body, headers)));
    expect(replies.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of replies) if (r.status !== 201) expect([r.status, r.body.code]).toEqual([409, 'idempotency_key_in_progress']);
    const ids = new Set(replies.filter((r) => r.status === 201).map((r) => decodeJwt(r.body.verifiableCredential).payload.jti));
    expect(ids.size).toBe(1);
    // Retried later at either worker: the same credential, and one record.
    const again = await Promise.all([0, 1].map(() => post('/credentials/issue', body, headers)));
    for (const r of again) expect(decodeJwt(r.body.verifiableCredential).payload.jti).toBe([...ids][0]);
    expect(sql('SELECT id FROM issued_credential WHERE id = ?', [...ids][0])).toHaveLength(1);
  }
});

test('a pre-authorized code is redeemed once, whichever worker each of six concurrent token requests reaches', async () => {
  const offer = await post('/oid4vci/offers', { type: 'EducationCredential', claims: SAMPLE_CLAIMS.EducationCredential });
  expect(offer.status).toBe(201);
  const code = await preAuthorizedCodeOf(offer.body.offerUri);
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString();
  const replies = await Promise.all(
    Array.from({ length: 6 }, () => request('POST', `${service.url}/oid4vci/${agency.id}/token`, form, { 'content-type': 'application/x-www-form-urlencoded' })),
  );
  expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  expect(replies.find((r) => r.status === 200)!.body.access_token).toEqual(expect.any(String));
  expect(replies.filter((r) => r.status !== 200).map((r) => r.status)).toEqual(Array(5).fill(400));
});

test('concurrent revocations of one credential make one change, anchored once by the lease holder', async () => {
  const issued = await post('/credentials/issue', issueRequest('EducationCredential', holderDid(200)));
  const credentialId = decodeJwt(issued.body.verifiableCredential).payload.jti as string;
  const replies = await Promise.all(Array.from({ length: 6 }, () => post('/credentials/status', { credentialId, action: 'revoke' })));
  expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
  expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
  const changeId = replies[0].body.id as string;
  const anchored = await waitFor(async () => {
    const res = await get(`/credentials/status/${changeId}`);
    return res.body.state === 'anchored' ? res.body : undefined;
  }, 60_000);
  expect(anchored.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  // One worker holds the anchoring lease; every change appears in exactly one status.anchored audit entry.
  expect(sql("SELECT name FROM worker_lease WHERE name = 'status-anchor'")).toHaveLength(1);
  const counted = new Map<string, number>();
  for (const e of sql<{ data: string }>("SELECT data FROM audit_entry WHERE action = 'status.anchored'")) {
    for (const id of JSON.parse(e.data).changeIds as string[]) counted.set(id, (counted.get(id) ?? 0) + 1);
  }
  expect(counted.get(changeId)).toBe(1);
});

test('SIGTERM stops both workers, then the primary exits 0', async () => {
  const workers = service.workerPids();
  expect(await service.stop()).toBe(0);
  for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
});
