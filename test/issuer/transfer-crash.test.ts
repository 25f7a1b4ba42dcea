import { Wallet } from 'ethers';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StatusMirror, TitleMirror } from '../../libs/credentials/src/index.js';
import { loadIssuerConfig } from '../../apps/issuer/src/config/issuer.config.js';
import { startIssuer } from '../../apps/issuer/src/issuer-app.js';
import { repoRoot } from '../../scripts/lib/paths.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { freePort } from '../support/free-port.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { ADMIN_TOKEN, Client, issuerEnv, tempDir, waitFor } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// A title transfer is one database transaction: an issuer killed (SIGKILL) while transfers are in flight leaves,
// for each title, either both halves (old certificate superseded with its successor recorded, new certificate,
// outbox row) or neither; a fresh issuer then anchors every superseded bit with its link.
let fixture: Fixture;
const temp = tempDir();
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fixture = await deployFixture();
  env = await issuerEnv(fixture, path.join(temp.dir, 'issuer.sqlite'), { CHAIN_TX_TIMEOUT_MS: '4000', WORKER_LEASE_MS: '4500', WORKER_LEASE_RENEW_MS: '100' });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fixture?.provider.destroy();
  temp.remove();
});

async function spawnIssuer(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', 'apps/issuer/src/main.ts'], {
    cwd: repoRoot(),
    env: { ...process.env, ...env, ANCHOR_INTERVAL_MS: '20', ISSUER_PORT: String(port) },
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

const newOwner = (i: number) =>
  issueRequest('PropertyCredential', holderDid(i), { ...CLAIMS.PropertyCredential, certificateNumber: `苏(2025)南京市不动产权第${String(i).padStart(7, '0')}号`, coOwners: [] });

test('killing the issuer mid-transfer leaves each title with both halves or neither, and anchoring completes them', async () => {
  const first = await spawnIssuer();
  const admin = new Client(first.url, { authorization: `Bearer ${ADMIN_TOKEN}` });
  const created = await admin.post('/admin/agencies', { nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registry', credentialTypes: ['PropertyCredential'], ownerAddress: Wallet.createRandom().address });
  expect(created.status).toBe(201);
  const { apiKey, identityAddress } = created.body;
  const client = new Client(first.url, { 'x-api-key': apiKey });
  const titles: string[] = [];
  for (let i = 0; i < 24; i++) {
    const res = await client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(i)));
    expect(res.status).toBe(201);
    titles.push(decodeJwt(res.body.verifiableCredential).payload.jti as string);
  }
  // All transfers at once; the process dies while some are being signed or committed.
  const inFlight = titles.map((id, i) => client.post(`/credentials/${encodeURIComponent(id)}/transfer`, newOwner(100 + i)).catch(() => undefined));
  await new Promise((r) => setTimeout(r, 150));
  await new Promise<void>((resolve) => {
    first.child.once('exit', () => resolve());
    first.child.kill('SIGKILL');
  });
  const answered = (await Promise.all(inFlight)).filter((r) => r?.status === 201).length;

  const db = new Database(env.ISSUER_SQLITE_PATH, { readonly: true });
  let superseded: Array<{ id: string; successorId: string | null; statusIndex: number }>;
  try {
    type Row = { id: string; state: string; successorId: string | null; predecessorId: string | null; statusIndex: number };
    const rows = db.prepare('SELECT id, state, successorId, predecessorId, statusIndex FROM issued_credential').all() as Row[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const changes = db.prepare(`SELECT credentialId FROM status_change WHERE action = 'supersede'`).all() as Array<{ credentialId: string }>;
    superseded = rows.filter((r) => r.state === 'superseded');
    // Both halves or neither: every superseded title has its successor, pointing back, and exactly one outbox row;
    // every successor has a superseded predecessor; active titles have no successor.
    for (const old of superseded) {
      expect(byId.get(old.successorId!)?.predecessorId).toBe(old.id);
      expect(changes.filter((c) => c.credentialId === old.id)).toHaveLength(1);
    }
    for (const row of rows.filter((r) => r.predecessorId)) expect(byId.get(row.predecessorId!)?.state).toBe('superseded');
    for (const row of rows.filter((r) => titles.includes(r.id) && r.state === 'active')) expect(row.successorId).toBeNull();
    expect(changes).toHaveLength(superseded.length);
    expect(rows).toHaveLength(titles.length + superseded.length);
    expect(superseded.length).toBeGreaterThanOrEqual(answered);
  } finally {
    db.close();
  }

  // A fresh issuer anchors every transfer that was committed: the bit and its link.
  const second = await startIssuer(loadIssuerConfig({ ...env, ANCHOR_INTERVAL_MS: '50' }), 0);
  try {
    const mirror = new StatusMirror({ provider: fixture.provider, registry: fixture.statusRegistry, chainId: 31337, fromBlock: fixture.deployBlock });
    const links = new TitleMirror({ provider: fixture.provider, registry: fixture.statusRegistry, fromBlock: fixture.deployBlock });
    await waitFor(async () => {
      await mirror.sync();
      return superseded.every((c) => mirror.lookup(identityAddress, 3, c.statusIndex) === 'superseded');
    }, 60_000, 200);
    await links.sync();
    for (const old of superseded) {
      const history = links.historyOf(identityAddress, old.statusIndex);
      expect(history.known && history.transfers.map((t) => t.predecessorIndex)).toEqual([old.statusIndex]);
    }
    const audit = await new Client(second.url, { authorization: `Bearer ${ADMIN_TOKEN}` }).get('/admin/audit/check');
    expect(audit.body.valid).toBe(true);
  } finally {
    await second.close();
  }
});
