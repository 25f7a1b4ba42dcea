import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { auditEntryHash, readAuditAnchors, verifyMerklePath, type AuditEntryRecord } from '../../libs/credentials/src/index.js';
import { AuditAnchorWorker } from '../../apps/issuer/src/audit-anchor/audit-anchor.worker.js';
import { repoRoot } from '../../scripts/lib/paths.js';
import { holderDid, issueRequest } from './claims.js';
import { ADMIN_TOKEN, startHarness, tempDir, type IssuerHarness } from './issuer-harness.js';

// Workers off: the test drives the audit anchor worker step by step (plan, send, pass), so "sent but not
// recorded" and "not anchored yet" happen exactly when the test says. 7 entries per anchor: several anchors.
let h: IssuerHarness;
let worker: AuditAnchorWorker;
let agency: Awaited<ReturnType<IssuerHarness['createAgency']>>;
const temp = tempDir();
const FUTURE = () => Date.now() + 3_600_000;

beforeAll(async () => {
  h = await startHarness({ env: { ISSUER_WORKERS: 'false', AUDIT_ANCHOR_MAX_ENTRIES: '7', AUDIT_ANCHOR_INTERVAL_MS: '60000' } });
  worker = h.issuer.app.get(AuditAnchorWorker);
  expect(await worker.lease.acquire()).toBe(true);
  agency = await h.createAgency(['EducationCredential']);
});
afterAll(async () => {
  await h?.close();
  temp.remove();
});

async function issue(count: number, from: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    expect((await agency.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(i)))).status).toBe(201);
  }
}

async function exportText(through = 'anchored'): Promise<string> {
  const res = await fetch(`${h.issuer.url}/admin/audit/export?through=${through}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
  return res.text();
}

/** Runs `npm run audit -- verify` from its sources as a child process: only the file and the chain. */
async function verifyCli(text: string, name: string, ...flags: string[]): Promise<{ code: number; out: string }> {
  const file = path.join(temp.dir, `${name}.ndjson`);
  writeFileSync(file, text);
  const args = ['--import', './test/support/ts-register.mjs', 'scripts/audit.ts', 'verify', file, '--rpc', process.env.GOVCRED_TEST_RPC_URL!, ...flags];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: repoRoot() });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const lines = (text: string) => text.trimEnd().split('\n');
const entryLine = (text: string, seq: number) => lines(text).findIndex((l) => l.startsWith(`{"seq":${seq},`) || JSON.parse(l).seq === seq);

test('receipts: 400 for junk, 404 past the log, 409 not_anchored_yet until the worker anchors', async () => {
  await issue(10, 0);
  for (const [url, status, code] of [
    ['/admin/audit/abc/receipt', 400, 'invalid_request'],
    ['/admin/audit/0/receipt', 400, 'invalid_request'],
    ['/admin/audit/99999999999999999999/receipt', 400, 'invalid_request'],
    ['/admin/audit/9999/receipt', 404, 'audit_entry_not_found'],
    ['/admin/audit/1/receipt', 409, 'not_anchored_yet'],
  ] as const) {
    const res = await h.admin.get(url);
    expect([url, res.status, res.body.code]).toEqual([url, status, code]);
  }
  expect((await h.anonymous.get('/admin/audit/1/receipt')).status).toBe(401);
  // 11 entries wait, all younger than the interval: the first 7 are due by size alone, the rest are not.
  await worker.pass(Date.now());
  const check = (await h.admin.get('/admin/audit/check')).body;
  expect(check.entries).toBe(11); // agency.created + 10 issuances
  expect((await h.admin.get('/admin/audit/7/receipt')).status).toBe(200);
  expect((await h.admin.get('/admin/audit/8/receipt')).body.code).toBe('not_anchored_yet');
  await worker.pass(FUTURE());
  expect((await h.admin.get('/admin/audit/11/receipt')).status).toBe(200);
});

test('a transaction mined but not recorded is recognised, not sent again', async () => {
  await issue(3, 100);
  const row = (await worker.plan(FUTURE()))!;
  expect([row.firstSeq, row.lastSeq, row.index]).toEqual([12, 14, 2]);
  const stream = await worker.stream();
  const sent = await worker.send(stream, row); // the "crash": the database never hears of it
  await worker.pass(FUTURE());
  const receipt = (await h.admin.get('/admin/audit/13/receipt')).body;
  expect(receipt.anchor.txHash).toBe(sent.hash);
  const chain = await readAuditAnchors(h.fixture.provider, h.fixture.auditAnchor, stream.identityAddress, h.fixture.deployBlock);
  expect(chain.state).toMatchObject({ anchors: 3, anchoredThrough: 14 });
});

test('every entry has a receipt that verifies against the anchor on chain', async () => {
  const text = await exportText();
  const [header, ...entries] = lines(text).map((l) => JSON.parse(l));
  expect(header).toMatchObject({ format: 'govcred-audit-export/1', chainId: 31337, contract: h.fixture.auditAnchor, anchoredThrough: 14 });
  const chain = await readAuditAnchors(h.fixture.provider, h.fixture.auditAnchor, header.stream, h.fixture.deployBlock);
  expect(entries).toHaveLength(14);
  for (const entry of entries as AuditEntryRecord[]) {
    const r = (await h.admin.get(`/admin/audit/${entry.seq}/receipt`)).body;
    expect(r.entryHash).toBe(auditEntryHash(entry));
    const event = chain.anchors[r.anchor.index];
    expect([r.anchor.root, r.anchor.firstSeq, r.anchor.count, r.anchor.txHash, r.anchor.blockNumber]).toEqual([
      event.root,
      event.firstSeq,
      event.count,
      event.txHash,
      event.blockNumber,
    ]);
    expect(r.anchor).toMatchObject({ contract: h.fixture.auditAnchor, chainId: 31337, stream: header.stream });
    expect(verifyMerklePath(r.entryHash, r.seq - r.anchor.firstSeq, r.anchor.count, r.path, event.root)).toBe(true);
  }
});

test('the standalone check passes an honest export and names every kind of tampering', async () => {
  const honest = await exportText();
  const all = lines(honest);
  const edit = (seq: number, change: (e: AuditEntryRecord) => void, rehash = false) => {
    const out = all.map((l) => JSON.parse(l));
    const i = out.findIndex((e) => e.seq === seq);
    change(out[i]);
    // A careful forger recomputes the edited entry's hash and every later link: only the anchor catches that.
    if (rehash) for (let j = i; j < out.length; j++) {
      if (j > i) out[j].prevHash = out[j - 1].hash;
      out[j].hash = auditEntryHash(out[j]);
    }
    return out.map((e) => JSON.stringify(e)).join('\n') + '\n';
  };
  const without = (drop: number[]) => all.filter((_, i) => !drop.includes(i)).join('\n') + '\n';
  const i4 = entryLine(honest, 4);
  const swapped = [...all];
  [swapped[i4], swapped[i4 + 1]] = [swapped[i4 + 1], swapped[i4]];
  const appended = edit(14, () => undefined) + JSON.stringify(forgedNext(JSON.parse(all[all.length - 1]))) + '\n';

  const cases: Array<[string, string, number, RegExp, string[]?]> = [
    ['honest', honest, 0, /VERIFIED: nothing was edited/],
    ['edited', edit(3, (e) => ((e.data as Record<string, unknown>).credentialType = 'PropertyCredential')), 1, /FAIL entry_edited: entry 3/],
    ['rechained', edit(3, (e) => (e.actor = 'admin'), true), 1, /FAIL root_mismatch: anchor 0 \(entries 1–7/],
    ['swapped', swapped.join('\n') + '\n', 1, /FAIL entry_reordered: entry 4 appears after entry 5/],
    ['removed', without([entryLine(honest, 6)]), 1, /FAIL entry_removed: entries 6 are missing/],
    ['truncated', without([all.length - 1]), 1, /FAIL entry_removed: entries 14 are anchored on chain but missing from the end/],
    ['appended', appended, 1, /FAIL unanchored_entries: 1 entries after entry 14 are not anchored yet/],
    ['appended-allowed', appended, 0, /WARN unanchored_entries/, ['--allow-unanchored']],
    ['not-an-export', 'hello\n', 1, /FAIL malformed_export/],
  ];
  const results = await Promise.all(cases.map(([name, text, , , flags]) => verifyCli(text, name, ...(flags ?? []))));
  for (const [i, [name, , code, pattern]] of cases.entries()) {
    expect({ name, code: results[i].code }).toEqual({ name, code });
    expect(results[i].out).toMatch(pattern);
  }
});

test('an export through=all includes entries not anchored yet, and the check says so', async () => {
  await issue(1, 200);
  const text = await exportText('all');
  expect(lines(text)).toHaveLength(16);
  const result = await verifyCli(text, 'tail');
  expect(result.code).toBe(1);
  expect(result.out).toMatch(/unanchored_entries: 1 entries after entry 14/);
  expect((await h.admin.get('/admin/audit/export?through=everything')).body.code).toBe('invalid_request');
});

/** A well-formed entry linked after `last`: what anyone could append to an export. */
function forgedNext(last: AuditEntryRecord): AuditEntryRecord {
  const entry = { seq: last.seq + 1, at: new Date().toISOString(), actor: 'admin', agencyId: null, action: 'agency.created', data: {}, prevHash: last.hash };
  return { ...entry, hash: auditEntryHash(entry) };
}
