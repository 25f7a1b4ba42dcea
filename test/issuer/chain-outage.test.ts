import { Wallet } from 'ethers';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { StatusMirror, readAuditAnchors } from '../../libs/credentials/src/index.js';
import { deployFixture } from '../support/chain.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { holderDid, issueRequest } from './claims.js';
import { startHarness, tempDir, waitFor, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// The issuer reaches the shared test chain only through a TCP proxy this file closes and reopens: "the chain
// stopped" without stopping the chain other test files run on.
let proxy: TcpProxy;
let h: IssuerHarness;
const temp = tempDir();

beforeAll(async () => {
  const target = new URL(process.env.GOVCRED_TEST_RPC_URL!);
  proxy = new TcpProxy(target.hostname, Number(target.port));
  await proxy.open();
  h = await startHarness({
    fixture: await deployFixture(),
    sqlitePath: path.join(temp.dir, 'issuer.sqlite'),
    env: { CHAIN_RPC_URL: proxy.url, CHAIN_TX_TIMEOUT_MS: '2000', ANCHOR_MAX_BACKOFF_MS: '800', AUDIT_ANCHOR_INTERVAL_MS: '200' },
  });
});

afterAll(async () => {
  await h?.close();
  await proxy?.close();
  h?.fixture.provider.destroy();
  temp.remove();
});

test('with the chain stopped a revocation is accepted, stays pending, and is anchored after the chain returns', async () => {
  const agency = await h.createAgency(['PropertyCredential']);
  const issued = [];
  for (let i = 0; i < 3; i++) {
    const res = await agency.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(i)));
    const { jti, vc } = decodeJwt(res.body.verifiableCredential).payload as { jti: string; vc: { credentialStatus: Array<{ statusListIndex: string }> } };
    issued.push({ id: jti, index: Number(vc.credentialStatus[0].statusListIndex) });
  }

  await proxy.close();
  // Issuing needs no chain, so it goes on.
  const offline = await agency.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(9)));
  expect(offline.status).toBe(201);
  const changes: string[] = [];
  for (const c of issued) {
    const res = await agency.client.post('/credentials/status', { credentialId: c.id, action: 'revoke' });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('pending');
    changes.push(res.body.id as string);
  }
  // The worker keeps trying and failing; the changes stay pending and say why.
  const failing = await waitFor(async () => {
    const res = await agency.client.get(`/credentials/status/${changes[0]}`);
    return res.body.attempts >= 2 ? res.body : undefined;
  }, 30_000);
  expect(failing.state).toBe('pending');
  expect(failing.lastError).toBeTruthy();
  expect(failing.txHash).toBeNull();
  // Creating an agency needs the chain: a clear 503 code, not a hang.
  const refused = await h.admin.post('/admin/agencies', { nameZh: '某局', nameEn: 'x', credentialTypes: ['PropertyCredential'], ownerAddress: Wallet.createRandom().address });
  expect(refused.status).toBe(503);
  expect(refused.body.code).toBe('chain_unavailable');

  await proxy.open();
  const anchored = await Promise.all(
    changes.map((id) =>
      waitFor(async () => {
        const res = await agency.client.get(`/credentials/status/${id}`);
        return res.body.state === 'anchored' ? res.body : undefined;
      }, 30_000),
    ),
  );
  expect(anchored.every((c) => /^0x[0-9a-f]{64}$/.test(c.txHash))).toBe(true);
  const mirror = new StatusMirror({ provider: h.fixture.provider, registry: h.fixture.statusRegistry, chainId: 31337, fromBlock: h.fixture.deployBlock });
  await mirror.sync();
  for (const c of issued) expect(mirror.lookup(agency.identityAddress, 1, c.index)).toBe('revoked');
});

test('with the chain stopped audit entries wait for their anchor, retried, and are anchored once it returns', async () => {
  const sql = (query: string) => h.issuer.app.get(DataSource).query(query) as Promise<any[]>;
  const anchoredThrough = async () => Number((await sql("SELECT MAX(\"lastSeq\") AS n FROM audit_anchor WHERE state = 'anchored'"))[0].n ?? 0);
  const head = async () => Number((await sql('SELECT seq FROM audit_head'))[0].seq);
  // Settle what the previous test left, then stop the chain.
  await waitFor(async () => (await anchoredThrough()) === (await head()), 30_000);
  const agency = await h.createAgency(['PropertyCredential']);
  await proxy.close();
  for (let i = 0; i < 3; i++) expect((await agency.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(20 + i)))).status).toBe(201);
  const target = await head();
  const failing = await waitFor(async () => {
    const [row] = await sql("SELECT * FROM audit_anchor WHERE state = 'pending'");
    return row?.attempts >= 2 ? row : undefined;
  }, 30_000);
  expect(failing.lastError).toBeTruthy();
  expect(await anchoredThrough()).toBeLessThan(target);
  expect((await h.admin.get(`/admin/audit/${target}/receipt`)).body.code).toBe('not_anchored_yet');

  await proxy.open();
  await waitFor(async () => (await anchoredThrough()) >= target, 30_000);
  const receipt = (await h.admin.get(`/admin/audit/${target}/receipt`)).body;
  const chain = await readAuditAnchors(h.fixture.provider, h.fixture.auditAnchor, receipt.anchor.stream, h.fixture.deployBlock);
  // Every database anchor is on chain exactly once, with the same range and root.
  const rows = await sql('SELECT * FROM audit_anchor WHERE state = \'anchored\' ORDER BY "index"');
  expect(chain.anchors.slice(0, rows.length).map((a) => [a.index, a.firstSeq, a.count, a.root, a.txHash])).toEqual(
    rows.map((r) => [Number(r.index), Number(r.firstSeq), Number(r.count), r.root, r.txHash]),
  );
});
