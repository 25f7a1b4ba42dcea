import { Wallet } from 'ethers';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { StatusMirror, checkAuditAnchors, readAuditAnchors } from '../../libs/credentials/src/index.js';
import { loadIssuerConfig } from '../../apps/issuer/src/config/issuer.config.js';
import { startIssuer } from '../../apps/issuer/src/issuer-app.js';
import { repoRoot } from '../../scripts/lib/paths.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { freePort } from '../support/free-port.js';
import { holderDid, issueRequest } from './claims.js';
import { ADMIN_TOKEN, Client, issuerEnv, tempDir, waitFor } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// "Killing the issuer" needs a real process: the issuer runs from its TypeScript sources in a child process
// (test/support/ts-register.mjs compiles them with SWC, as Jest does) and is killed with SIGKILL, so nothing
// gets a chance to flush or clean up. A fresh issuer on the same SQLite file must then anchor everything.
let fixture: Fixture;
const temp = tempDir();
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fixture = await deployFixture();
  // A killed process keeps its worker lease until it expires: short leases (longer than a chain transaction
  // may take, as the config requires) let the next process take over within seconds.
  env = await issuerEnv(fixture, path.join(temp.dir, 'issuer.sqlite'), { CHAIN_TX_TIMEOUT_MS: '4000', WORKER_LEASE_MS: '4500', WORKER_LEASE_RENEW_MS: '100' });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fixture?.provider.destroy();
  temp.remove();
});

async function spawnIssuer(extra: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', 'apps/issuer/src/main.ts'], {
    cwd: repoRoot(),
    env: { ...process.env, ...env, ...extra, ISSUER_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error('the issuer exited during start-up');
    return fetch(`${url}/docs-json`).then((r) => r.ok, () => false);
  }, 60_000, 100);
  return { child, url };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

test('killing the issuer between accepting and anchoring loses no status change', async () => {
  // Phase 1: the worker waits an hour, so every accepted change is still pending when the process dies.
  const first = await spawnIssuer({ ANCHOR_INTERVAL_MS: '3600000', AUDIT_ANCHOR_INTERVAL_MS: '3600000' });
  const admin = new Client(first.url, { authorization: `Bearer ${ADMIN_TOKEN}` });
  const created = await admin.post('/admin/agencies', { nameZh: '南京大学', nameEn: 'Nanjing University', credentialTypes: ['EducationCredential'], ownerAddress: Wallet.createRandom().address });
  expect(created.status).toBe(201);
  const { apiKey, identityAddress } = created.body;
  const issued: Array<{ id: string; index: number }> = [];
  const changeIds: string[] = [];

  async function issueAndRevoke(url: string, from: number, count: number): Promise<void> {
    const client = new Client(url, { 'x-api-key': apiKey });
    for (let i = from; i < from + count; i++) {
      const res = await client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(i)));
      expect(res.status).toBe(201);
      const { jti, vc } = decodeJwt(res.body.verifiableCredential).payload as { jti: string; vc: { credentialStatus: Array<{ statusListIndex: string }> } };
      issued.push({ id: jti, index: Number(vc.credentialStatus[0].statusListIndex) });
    }
    for (const c of issued.slice(from)) {
      const res = await client.post('/credentials/status', { credentialId: c.id, action: c.index % 2 ? 'revoke' : 'suspend' });
      expect(res.status).toBe(202);
      changeIds.push(res.body.id);
    }
  }

  await issueAndRevoke(first.url, 0, 10);
  await kill(first.child);

  // Phase 2: anchoring every 20 ms (audit anchors of at most 5 entries), killed right after the last change was
  // accepted, likely mid-batch.
  const second = await spawnIssuer({ ANCHOR_INTERVAL_MS: '20', AUDIT_ANCHOR_INTERVAL_MS: '20', AUDIT_ANCHOR_MAX_ENTRIES: '5' });
  await issueAndRevoke(second.url, 10, 30);
  await kill(second.child);

  // A fresh issuer on the same database and key secret anchors everything that was accepted.
  const third = await startIssuer(loadIssuerConfig({ ...env, ANCHOR_INTERVAL_MS: '50', AUDIT_ANCHOR_INTERVAL_MS: '50', AUDIT_ANCHOR_MAX_ENTRIES: '5' }), 0);
  try {
    const client = new Client(third.url, { 'x-api-key': apiKey });
    const states = await waitFor(async () => {
      const all = await Promise.all(changeIds.map((id) => client.get(`/credentials/status/${id}`)));
      return all.every((r) => r.body.state === 'anchored') ? all.map((r) => r.body) : undefined;
    }, 60_000, 200);
    expect(states).toHaveLength(40);
    expect(states.every((s) => /^0x[0-9a-f]{64}$/.test(s.txHash))).toBe(true);
    const mirror = new StatusMirror({ provider: fixture.provider, registry: fixture.statusRegistry, chainId: 31337, fromBlock: fixture.deployBlock });
    await mirror.sync();
    for (const c of issued) {
      const expected = c.index % 2 ? ['revoked', 1] : ['suspended', 2];
      expect(mirror.lookup(identityAddress, expected[1] as number, c.index)).toBe(expected[0]);
    }
    const audit = await new Client(third.url, { authorization: `Bearer ${ADMIN_TOKEN}` }).get('/admin/audit/check');
    expect(audit.body.valid).toBe(true);

    // The audit log too is anchored through its last entry, each anchor on chain exactly once.
    const sql = (query: string) => third.app.get(DataSource).query(query) as Promise<any[]>;
    const head = Number((await sql('SELECT seq FROM audit_head'))[0].seq);
    const rows = await waitFor(async () => {
      const all = await sql('SELECT * FROM audit_anchor ORDER BY "index"');
      return all.length && all.every((r) => r.state === 'anchored') && Number(all[all.length - 1].lastSeq) === head ? all : undefined;
    }, 60_000, 200);
    const [stream] = await sql('SELECT "identityAddress" FROM audit_stream');
    const chain = await readAuditAnchors(fixture.provider, fixture.auditAnchor, stream.identityAddress, fixture.deployBlock);
    expect(checkAuditAnchors(31337, fixture.auditAnchor, stream.identityAddress, chain.state, chain.anchors)).toEqual([]);
    expect(chain.anchors.map((a) => [a.index, a.firstSeq, a.count, a.root, a.txHash])).toEqual(
      rows.map((r) => [Number(r.index), Number(r.firstSeq), Number(r.count), r.root, r.txHash]),
    );
    console.log(`crash test: ${rows.length} audit anchors over ${head} entries, ${rows.filter((r) => r.attempts > 0).length} retried`);
  } finally {
    await third.close();
  }
});
