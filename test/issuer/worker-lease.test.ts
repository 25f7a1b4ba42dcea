import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { ISSUER_ENTITIES, ISSUER_MIGRATIONS } from '../../apps/issuer/src/database/database.module.js';
import { DbWriter } from '../../apps/issuer/src/database/db-writer.service.js';
import { LeaseLostError, WorkerLease } from '../../apps/issuer/src/workers/worker-lease.js';
import { tempDir } from './issuer-harness.js';

// Worker leases against a real database (SQLite; replicas.test.ts runs them across two PostgreSQL replicas).
// Two WorkerLease objects stand for two replicas; the clock is injected so expiry needs no waiting.
const temp = tempDir();
let dataSource: DataSource;
let db: DbWriter;
let clock = Date.parse('2026-11-30T00:00:00Z');
const now = () => clock;
const options = { durationMs: 10_000, renewMs: 1_000, now };

beforeAll(async () => {
  dataSource = new DataSource(dataSourceOptions({ sqlitePath: path.join(temp.dir, 'issuer.sqlite'), entities: ISSUER_ENTITIES, migrations: ISSUER_MIGRATIONS }));
  await dataSource.initialize();
  db = new DbWriter(dataSource);
});

afterAll(async () => {
  await dataSource.destroy();
  temp.remove();
});

test('one holder at a time; a live holder keeps it; an expired one loses it and is fenced out', async () => {
  const a = new WorkerLease('anchor', db, options);
  const b = new WorkerLease('anchor', db, options);
  expect(await a.acquire()).toBe(true);
  expect(await b.acquire()).toBe(false);
  // A renews before expiry: B still cannot take it.
  clock += 8_000;
  expect(await a.acquire()).toBe(true);
  clock += 8_000;
  expect(await b.acquire()).toBe(false);
  // A stops renewing (it hangs): after the duration B takes over…
  clock += 10_001;
  expect(await b.acquire()).toBe(true);
  // …and A, waking up, can write nothing: its transaction is rolled back.
  await expect(db.write(async (m) => {
    await m.query("INSERT INTO worker_lease (name, holder, epoch, expiresAt) VALUES ('marker', NULL, 0, '')");
    await a.fence(m);
  })).rejects.toBeInstanceOf(LeaseLostError);
  expect(await dataSource.query("SELECT * FROM worker_lease WHERE name = 'marker'")).toEqual([]);
  expect(a.held).toBe(false);
  expect(await a.acquire()).toBe(false);
  await db.write((m) => b.fence(m));
});

test('a released lease is taken at once, with a new epoch', async () => {
  const a = new WorkerLease('audit-anchor', db, options);
  const b = new WorkerLease('audit-anchor', db, options);
  expect(await a.acquire()).toBe(true);
  const epoch = async () => ((await dataSource.query("SELECT epoch FROM worker_lease WHERE name = 'audit-anchor'")) as Array<{ epoch: number }>)[0].epoch;
  const first = await epoch();
  await a.release();
  expect(await b.acquire()).toBe(true);
  expect(await epoch()).toBe(first + 1);
  // Leases are per worker: holding "audit-anchor" says nothing about another name.
  expect(await new WorkerLease('other', db, options).acquire()).toBe(true);
});
