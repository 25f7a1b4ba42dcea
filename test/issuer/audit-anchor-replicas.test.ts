import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { checkAuditExport, parseAuditExport, readAuditAnchors } from '../../libs/credentials/src/index.js';
import { AuditAnchorWorker } from '../../apps/issuer/src/audit-anchor/audit-anchor.worker.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { describePostgres, freshDatabase, type FreshDatabase } from '../support/postgres.js';
import { holderDid, issueRequest } from './claims.js';
import { ADMIN_TOKEN, startHarness, waitFor, type IssuerHarness } from './issuer-harness.js';

// Two issuer replicas on one PostgreSQL database, both running the audit anchor worker, while both append
// to the audit log; the holder of the lease is then shut down mid-stream and the other takes over.
describePostgres('audit anchoring with two replicas on PostgreSQL', () => {
  let database: FreshDatabase;
  let fixture: Fixture;
  let a: IssuerHarness;
  let b: IssuerHarness;

  beforeAll(async () => {
    database = await freshDatabase();
    fixture = await deployFixture();
    const env = {
      DATABASE_URL: database.url,
      ISSUER_KMS_SECRET: randomBytes(32).toString('hex'),
      ISSUER_WORKERS: 'true',
      WORKER_LEASE_MS: '12000',
      WORKER_LEASE_RENEW_MS: '200',
      AUDIT_ANCHOR_INTERVAL_MS: '30',
      AUDIT_ANCHOR_MAX_ENTRIES: '16',
    };
    a = await startHarness({ fixture, env });
    b = await startHarness({ fixture, env });
  });

  afterAll(async () => {
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    fixture?.provider.destroy();
    await database?.drop();
  });

  test('every entry is anchored exactly once, across a hand-over of the lease', async () => {
    const agency = await a.createAgency(['EducationCredential']);
    const clients = [a, b].map((h) => h.anonymous.withHeaders({ 'x-api-key': agency.apiKey }));
    const issue = (from: number, count: number) =>
      Promise.all(Array.from({ length: count }, (_, i) => clients[i % 2].post('/credentials/issue', issueRequest('EducationCredential', holderDid(from + i)))));
    expect((await issue(0, 80)).every((r) => r.status === 201)).toBe(true);

    // Shut down whichever replica anchors now (it releases its lease); the other goes on alone.
    const holder = [a, b].find((h) => h.issuer.app.get(AuditAnchorWorker).lease.held) ?? a;
    const survivor = holder === a ? b : a;
    const moreAtSurvivor = Array.from({ length: 60 }, (_, i) =>
      survivor.anonymous.withHeaders({ 'x-api-key': agency.apiKey }).post('/credentials/issue', issueRequest('EducationCredential', holderDid(100 + i))),
    );
    await holder.close();
    expect((await Promise.all(moreAtSurvivor)).every((r) => r.status === 201)).toBe(true);

    const sql = (query: string) => survivor.issuer.app.get(DataSource).query(query) as Promise<any[]>;
    const head = Number((await sql('SELECT seq FROM audit_head'))[0].seq);
    const rows = await waitFor(async () => {
      const all = await sql('SELECT * FROM audit_anchor ORDER BY "index"');
      return all.length && all.every((r) => r.state === 'anchored') && Number(all[all.length - 1].lastSeq) === head ? all : undefined;
    }, 60_000, 100);
    // Contiguous ranges: each entry in exactly one anchor.
    let next = 1;
    for (const r of rows) {
      expect([Number(r.firstSeq), Number(r.lastSeq) - Number(r.firstSeq) + 1]).toEqual([next, Number(r.count)]);
      next = Number(r.lastSeq) + 1;
    }
    expect(next - 1).toBe(head);
    const [stream] = await sql('SELECT "identityAddress" FROM audit_stream');
    const chain = await readAuditAnchors(fixture.provider, fixture.auditAnchor, stream.identityAddress, fixture.deployBlock);
    expect(chain.anchors.map((x) => [x.index, x.firstSeq, x.count, x.root, x.txHash])).toEqual(
      rows.map((r) => [Number(r.index), Number(r.firstSeq), Number(r.count), r.root, r.txHash]),
    );
    expect(chain.state.anchoredThrough).toBe(head);

    // And a third party checking the export finds it whole.
    const text = await (await fetch(`${survivor.issuer.url}/admin/audit/export`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    const parsed = parseAuditExport(text);
    const check = checkAuditExport(parsed.entries, { chainId: 31337, contract: fixture.auditAnchor, stream: stream.identityAddress, ...chain });
    expect(check).toMatchObject({ verified: true, entries: head, problems: [] });
    console.log(`two replicas: ${head} audit entries in ${rows.length} anchors`);
  });
});
