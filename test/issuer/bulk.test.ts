import { verifyCredential } from 'did-jwt-vc';
import { DataSource } from 'typeorm';
import { BulkWorker, ChunkLostError, NEXT_ITEMS, UNFINISHED_JOBS } from '../../apps/issuer/src/bulk/bulk.worker.js';
import { createDidResolver } from '../../libs/credentials/src/index.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, waitFor, type IssuerHarness } from './issuer-harness.js';

let h: IssuerHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h?.close());

test('a graduating class is issued in bulk with progress, per-item errors and retrievable results', async () => {
  const university = await h.createAgency(['EducationCredential']);
  const other = await h.createAgency(['EducationCredential']);
  const total = 1000;
  const items = Array.from({ length: total }, (_, i) => {
    if (i === 10) return issueRequest('EducationCredential', holderDid(i), { ...CLAIMS.EducationCredential, degree: 'phd' });
    if (i === 20) return issueRequest('NationalIdCredential', holderDid(i));
    if (i === 30) return { credential: { type: 'EducationCredential', credentialSubject: 'nope' } };
    return issueRequest('EducationCredential', holderDid(i));
  });
  const started = Date.now();
  const created = await university.client.post('/credentials/issue/bulk', { items });
  expect(created.status).toBe(202);
  expect(created.body).toMatchObject({ state: 'queued', total, processed: 0 });
  const seen: number[] = [];
  const done = await waitFor(async () => {
    const res = await university.client.get(`/credentials/issue/bulk/${created.body.id}`);
    seen.push(res.body.processed);
    return res.body.state === 'done' ? res.body : undefined;
  }, 120_000, 50);
  const elapsed = Date.now() - started;
  console.log(`bulk: ${total} credentials in ${elapsed} ms (${Math.round((total * 1000) / elapsed)}/s)`);
  expect(done).toMatchObject({ total, processed: total, succeeded: total - 3, failed: 3 });
  expect(seen.some((p) => p > 0 && p < total)).toBe(true); // progress was visible along the way
  expect(done.errors).toEqual([
    { position: 10, code: 'invalid_claims', details: expect.objectContaining({ errors: [expect.objectContaining({ path: '/degree', code: 'claim_invalid' })] }) },
    { position: 20, code: 'credential_type_not_allowed', details: expect.anything() },
    { position: 30, code: 'invalid_request', details: expect.anything() },
  ]);

  // Another agency sees nothing of it.
  expect((await other.client.get(`/credentials/issue/bulk/${created.body.id}`)).body.code).toBe('bulk_job_not_found');
  expect((await other.client.get(`/credentials/issue/bulk/${created.body.id}/results`)).status).toBe(404);

  const results = await university.client.get(`/credentials/issue/bulk/${created.body.id}/results?limit=10000`);
  expect(results.body.total).toBe(total);
  expect(results.body.items).toHaveLength(total);
  const resolver = createDidResolver({ chainId: 31337, rpcUrl: h.config.CHAIN_RPC_URL, didRegistry: h.config.DID_REGISTRY });
  for (const position of [0, 499, 999]) {
    const item = results.body.items[position];
    expect(item).toMatchObject({ position, state: 'issued' });
    const verified = await verifyCredential(item.verifiableCredential, resolver);
    expect(verified.verifiableCredential.credentialSubject.id).toBe(holderDid(position));
    expect(verified.verifiableCredential.id).toBe(item.credentialId);
  }
  const indexes = new Set(
    results.body.items
      .filter((i: { state: string }) => i.state === 'issued')
      .map((i: { verifiableCredential: string }) => JSON.parse(Buffer.from(i.verifiableCredential.split('.')[1], 'base64url').toString()).vc.credentialStatus[0].statusListIndex),
  );
  expect(indexes.size).toBe(total - 3);
  const records = await university.client.get('/credentials?limit=1');
  expect(records.body.total).toBe(total - 3);

  // Once fetched, the agency deletes the signed copies: the issuer keeps none.
  const purged = await university.client.request('DELETE', `/credentials/issue/bulk/${created.body.id}/results`);
  expect(purged.status).toBe(200);
  expect(purged.body.resultsAvailable).toBe(false);
  const after = await university.client.get(`/credentials/issue/bulk/${created.body.id}/results?limit=5`);
  expect(after.body.items.every((i: { verifiableCredential: string | null }) => i.verifiableCredential === null)).toBe(true);
});

test('bulk requests over the limit or of the wrong shape are refused with codes', async () => {
  const agency = await h.createAgency(['EducationCredential']);
  const one = issueRequest('EducationCredential', holderDid(1));
  const tooMany = await agency.client.post('/credentials/issue/bulk', { items: Array.from({ length: 10_001 }, () => one) });
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.code).toBe('too_many_items');
  for (const body of [{}, { items: [] }, { items: [1] }, { items: 'x' }]) {
    const res = await agency.client.post('/credentials/issue/bulk', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  }
  expect((await agency.client.get('/credentials/issue/bulk/nope')).body.code).toBe('bulk_job_not_found');
});

// Each chunk of a job and each progress answer read the job's items by state: through the index they find their
// rows at once, where walking the job's items from its first position made a large job quadratic.
test("the worker's next queued items and a job's failed ones are read through the job-and-state index", async () => {
  const dataSource = h.issuer.app.get(DataSource);
  const plan = async (sql: string, params = ['a-job']) => ((await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
  const next = await plan(NEXT_ITEMS, ['a-job', 'queued']);
  expect(next).toMatch(/USING (COVERING )?INDEX ix_bulk_item_job_state \(jobId=\? AND state=\?\)/);
  expect(next).not.toMatch(/TEMP B-TREE/);
  const failed = await plan(`SELECT "position", "errorCode" FROM "bulk_item" WHERE "jobId" = ? AND "state" = 'failed' ORDER BY "position" LIMIT 1000`);
  expect(failed).toMatch(/INDEX ix_bulk_item_job_state \(jobId=\? AND state=\?\)/);
  expect(failed).not.toMatch(/TEMP B-TREE/);
  // Every process looks for the oldest unfinished jobs when idle: through (state, createdAt), not every job kept.
  const jobs = await plan(UNFINISHED_JOBS, []);
  expect(jobs).toMatch(/INDEX ix_bulk_job_state_created \(state=\?\)/);
});

// Every process takes chunks of a job; one that held its chunk past WORKER_LEASE_MS (it stalled, or died) loses
// it to another, and its late transaction records nothing: every item is issued exactly once.
test('a chunk whose taker ran out of time is taken over, and the late taker records nothing of it', async () => {
  const agency = await h.createAgency(['EducationCredential']);
  const worker = h.issuer.app.get(BulkWorker);
  const dataSource = h.issuer.app.get(DataSource);
  const total = 400;
  const created = await agency.client.post('/credentials/issue/bulk', { items: Array.from({ length: total }, (_, i) => issueRequest('EducationCredential', holderDid(7000 + i))) });
  expect(created.status).toBe(202);
  // Two chunks taken at once (as two processes would): different items.
  const [first, second] = await Promise.all([worker.take(), worker.take()]);
  expect(first && second).toBeTruthy();
  const positions = [...first!.items, ...second!.items].map((i) => i.position);
  expect(new Set(positions).size).toBe(100);
  // The second's taker stalls past its time: its items are taken over (by the next take, here or in the loop).
  const slow = await worker.prepare(second!);
  await dataSource.query(`UPDATE bulk_item SET takenUntil = '1970-01-01T00:00:00.000Z' WHERE takenBy = ?`, [second!.token]);
  await waitFor(async () => {
    await worker.take().then((c) => c && worker.prepare(c).then((p) => worker.record(c, p)));
    return ((await dataSource.query('SELECT COUNT(*) AS n FROM bulk_item WHERE takenBy = ?', [second!.token])) as Array<{ n: number }>)[0].n === 0;
  }, 30_000, 10);
  await expect(worker.record(second!, slow)).rejects.toBeInstanceOf(ChunkLostError);
  await worker.record(first!, await worker.prepare(first!));
  const done = await waitFor(async () => {
    const res = await agency.client.get(`/credentials/issue/bulk/${created.body.id}`);
    return res.body.state === 'done' ? res.body : undefined;
  }, 120_000, 50);
  expect(done).toMatchObject({ total, processed: total, succeeded: total, failed: 0 });
  const results = (await agency.client.get(`/credentials/issue/bulk/${created.body.id}/results?limit=10000`)).body.items as Array<{ position: number; credentialId: string }>;
  expect(results.map((r) => r.position)).toEqual(Array.from({ length: total }, (_, i) => i));
  // Each item one credential, and no more credentials than items: the late chunk's 50 signatures were never recorded.
  expect(new Set(results.map((r) => r.credentialId)).size).toBe(total);
  expect((await agency.client.get('/credentials?limit=1')).body.total).toBe(total);
  expect((await h.admin.get('/admin/audit/check')).body).toMatchObject({ valid: true, problems: [] });
});
