import Database from 'better-sqlite3';
import { StatusMirror } from '../../libs/credentials/src/index.js';
import { holderDid, issueRequest } from './claims.js';
import { decodeJwt } from './jwt.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';

let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let mirror: StatusMirror;

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['EducationCredential']);
  mirror = new StatusMirror({ provider: h.fixture.provider, registry: h.fixture.statusRegistry, chainId: 31337, fromBlock: h.fixture.deployBlock });
});

afterAll(() => h?.close());

async function issue(i: number): Promise<{ id: string; index: number }> {
  const res = await agency.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(i)));
  expect(res.status).toBe(201);
  const { payload } = decodeJwt(res.body.verifiableCredential);
  const status = (payload.vc as { credentialStatus: Array<{ statusListIndex: string }> }).credentialStatus;
  return { id: payload.jti as string, index: Number(status[0].statusListIndex) };
}

async function change(credentialId: string, action: string) {
  return agency.client.post('/credentials/status', { credentialId, action });
}

async function anchored(changeId: string) {
  return waitFor(async () => {
    const res = await agency.client.get(`/credentials/status/${changeId}`);
    return res.body.state === 'anchored' ? res.body : undefined;
  });
}

async function onChain(index: number) {
  await mirror.sync();
  return mirror.lookup(agency.identityAddress, 1, index) === 'revoked'
    ? 'revoked'
    : mirror.lookup(agency.identityAddress, 2, index);
}

test('a revocation is accepted pending, then anchored, and shows on chain', async () => {
  const c = await issue(1);
  expect(await onChain(c.index)).toBe('valid');
  const res = await change(c.id, 'revoke');
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ credentialId: c.id, action: 'revoke', state: 'pending', listId: 1, statusIndex: c.index, txHash: null });
  const done = await anchored(res.body.id);
  expect(done.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  expect(done.blockNumber).toBeGreaterThan(0);
  const receipt = await h.fixture.provider.getTransactionReceipt(done.txHash);
  expect(receipt?.status).toBe(1);
  expect(receipt?.blockNumber).toBe(done.blockNumber);
  expect(await onChain(c.index)).toBe('revoked');
  // Repeating the revocation is answered with the change that did it (a retry after a lost answer), once.
  const repeat = await change(c.id, 'revoke');
  expect(repeat.status).toBe(200);
  expect(repeat.body).toMatchObject({ id: res.body.id, state: 'anchored', txHash: done.txHash });
  // Revocation is final, with clear codes.
  for (const [action, code] of [['reinstate', 'revocation_is_final'], ['suspend', 'credential_revoked']]) {
    const again = await change(c.id, action);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(code);
  }
});

test('suspend, reinstate and suspend again reach the chain in order', async () => {
  const c = await issue(2);
  const s1 = await change(c.id, 'suspend');
  const r1 = await change(c.id, 'reinstate');
  const s2 = await change(c.id, 'suspend');
  expect([s1.status, r1.status, s2.status]).toEqual([202, 202, 202]);
  const [a, b, d] = [await anchored(s1.body.id), await anchored(r1.body.id), await anchored(s2.body.id)];
  expect(a.blockNumber).toBeLessThan(b.blockNumber);
  expect(b.blockNumber).toBeLessThan(d.blockNumber);
  expect(await onChain(c.index)).toBe('suspended');
  // An identical repeat is answered 200 with the change that produced the state, not recorded again.
  const s3 = await change(c.id, 'suspend');
  expect([s3.status, s3.body.id]).toEqual([200, s2.body.id]);
  const r2 = await change(c.id, 'reinstate');
  await anchored(r2.body.id);
  expect(await onChain(c.index)).toBe('valid');
  const r3 = await change(c.id, 'reinstate');
  expect([r3.status, r3.body.id]).toEqual([200, r2.body.id]);
  // Reinstating a credential that was never suspended is still refused.
  const fresh = await issue(4);
  const never = await change(fresh.id, 'reinstate');
  expect([never.status, never.body.code]).toEqual([409, 'not_suspended']);
  const record = await agency.client.get(`/credentials/${encodeURIComponent(c.id)}`);
  expect(record.body.state).toBe('active');
  expect(record.body.statusChanges.map((x: { action: string }) => x.action)).toEqual(['suspend', 'reinstate', 'suspend', 'reinstate']);
});

test('many revocations are batched into few transactions', async () => {
  const issued = [];
  for (let i = 0; i < 40; i++) issued.push(await issue(100 + i));
  const changes = [];
  for (const c of issued) changes.push((await change(c.id, 'revoke')).body);
  const done = await Promise.all(changes.map((x) => anchored(x.id)));
  const txs = new Set(done.map((x) => x.txHash));
  expect(txs.size).toBeLessThan(issued.length / 2);
  await mirror.sync();
  for (const c of issued) expect(mirror.lookup(agency.identityAddress, 1, c.index)).toBe('revoked');
});

test.each([
  ['an unknown credential', { credentialId: 'urn:uuid:00000000-0000-0000-0000-000000000000', action: 'revoke' }, 404, 'credential_not_found'],
  ['an unknown action', { credentialId: 'x', action: 'delete' }, 400, 'invalid_request'],
  ['no credential id', { action: 'revoke' }, 400, 'invalid_request'],
  ['an oversized id', { credentialId: 'x'.repeat(500), action: 'revoke' }, 400, 'invalid_request'],
])('a status request with %s is refused with a code', async (_name, body, status, code) => {
  const res = await agency.client.post('/credentials/status', body);
  expect(res.status).toBe(status);
  expect(res.body.code).toBe(code);
});

test('the audit log is hash-chained, exported, and its check catches an edited or deleted row', async () => {
  const c = await issue(3);
  await change(c.id, 'suspend');
  const check = await h.admin.get('/admin/audit/check');
  expect(check.status).toBe(200);
  expect(check.body).toMatchObject({ valid: true, problems: [] });
  expect(check.body.entries).toBeGreaterThan(50);
  const exported = await h.admin.get('/admin/audit?limit=10000');
  const entries = exported.body.entries as Array<{ seq: number; action: string; hash: string; prevHash: string; data: string }>;
  expect(entries.length).toBe(check.body.entries);
  expect(entries[entries.length - 1].hash).toBe(check.body.headHash);
  for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
  expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['agency.created', 'credential.issued', 'status.revoke.requested', 'status.anchored']));
  // Audit entries carry identifiers, never claims.
  expect(JSON.stringify(entries)).not.toContain('李四');
  // Only the admin reads it.
  expect((await agency.client.get('/admin/audit')).status).toBe(401);

  // Edit one row behind the service's back, as someone with database access would.
  const issuedEntry = entries.find((e) => e.action === 'credential.issued' && JSON.parse(e.data).credentialId === c.id)!;
  const db = new Database(h.config.ISSUER_SQLITE_PATH);
  try {
    const tampered = issuedEntry.data.replace(/"statusIndex":\d+/, '"statusIndex":1');
    db.prepare('UPDATE audit_entry SET data = ? WHERE seq = ?').run(tampered, issuedEntry.seq);
    const edited = await h.admin.get('/admin/audit/check');
    expect(edited.body.valid).toBe(false);
    expect(edited.body.problems).toContainEqual({ seq: issuedEntry.seq, problem: 'hash_mismatch' });
    db.prepare('UPDATE audit_entry SET data = ? WHERE seq = ?').run(issuedEntry.data, issuedEntry.seq);
    expect((await h.admin.get('/admin/audit/check')).body.valid).toBe(true);
    // Delete a row in the middle.
    const victim = entries[5];
    db.prepare('DELETE FROM audit_entry WHERE seq = ?').run(victim.seq);
    const deleted = await h.admin.get('/admin/audit/check');
    expect(deleted.body.valid).toBe(false);
    expect(deleted.body.problems).toEqual(expect.arrayContaining([{ seq: victim.seq + 1, problem: 'gap' }, { seq: victim.seq + 1, problem: 'broken_link' }]));
  } finally {
    db.close();
  }
});
