import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { LIST_SIZE, StatusIndexAllocator, draw } from '../../apps/issuer/src/credentials/status-index-allocator.js';
import { ISSUER_ENTITIES, ISSUER_MIGRATIONS } from '../../apps/issuer/src/database/database.module.js';
import { DbWriter } from '../../apps/issuer/src/database/db-writer.service.js';
import { tempDir } from './issuer-harness.js';

// Status index reservations against a real issuer database (SQLite here; replicas.test.ts runs two issuers on
// PostgreSQL). Two allocators on one database stand for two replicas: neither knows the other's indexes.
const temp = tempDir();
let dataSource: DataSource;
let db: DbWriter;
const AGENCY = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const SMALL = '00000000-0000-4000-8000-000000000003';

async function reserved(agencyId: string): Promise<number[]> {
  const rows = (await dataSource.query('SELECT statusIndex FROM status_index WHERE agencyId = ?', [agencyId])) as Array<{ statusIndex: number }>;
  return rows.map((r) => r.statusIndex);
}

beforeAll(async () => {
  dataSource = new DataSource(dataSourceOptions({ sqlitePath: path.join(temp.dir, 'issuer.sqlite'), entities: ISSUER_ENTITIES, migrations: ISSUER_MIGRATIONS }));
  await dataSource.initialize();
  db = new DbWriter(dataSource);
  // The agency already holds every even index (half its list); the other agency holds the odd ones.
  await dataSource.transaction(async (m) => {
    for (let i = 0; i < LIST_SIZE; i++) {
      await m.query("INSERT INTO status_index (agencyId, statusIndex, batch, reservedAt) VALUES (?, ?, 'seed', '')", [i % 2 === 0 ? AGENCY : OTHER, i]);
    }
  });
});

afterAll(async () => {
  await dataSource.destroy();
  temp.remove();
});

test('two replicas draw random indexes that no one holds, never the same one', async () => {
  const [a, b] = [new StatusIndexAllocator(db), new StatusIndexAllocator(db)];
  const drawn = await Promise.all(Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? a : b).reserve(AGENCY)));
  expect(new Set(drawn).size).toBe(drawn.length);
  expect(drawn.every((i) => i % 2 === 1 && i >= 0 && i < LIST_SIZE)).toBe(true);
  // Every handed-out index is reserved in the database.
  const inDb = new Set(await reserved(AGENCY));
  expect(drawn.every((i) => inDb.has(i))).toBe(true);
  // Not in issuance order: far from sorted, spread over the whole list.
  const ascending = drawn.filter((v, i) => i > 0 && v > drawn[i - 1]).length;
  expect(ascending).toBeLessThan(drawn.length * 0.6);
  expect(Math.min(...drawn)).toBeLessThan(LIST_SIZE / 10);
  expect(Math.max(...drawn)).toBeGreaterThan(LIST_SIZE * 0.9);
  // Another agency's indexes are its own business.
  const other = await Promise.all(Array.from({ length: 300 }, () => a.reserve(OTHER)));
  expect(other.every((i) => i % 2 === 0)).toBe(true);
});

test('a nearly full list: two replicas fill it exactly, without a duplicate, then it is a conflict', async () => {
  const size = 1024;
  await dataSource.transaction(async (m) => {
    for (let i = 0; i < size - 40; i++) await m.query("INSERT INTO status_index (agencyId, statusIndex, batch, reservedAt) VALUES (?, ?, 'seed', '')", [SMALL, i * 7 % size]);
  });
  const [a, b] = [new StatusIndexAllocator(db, { listSize: size }), new StatusIndexAllocator(db, { listSize: size })];
  const drawn = [...(await Promise.all([a.reserveMany(SMALL, 20), b.reserveMany(SMALL, 20)]))].flat();
  expect(new Set(drawn).size).toBe(40);
  expect(new Set(await reserved(SMALL)).size).toBe(size);
  for (const allocator of [a, b]) await expect(allocator.reserve(SMALL)).rejects.toMatchObject({ code: 'conflict' });
  console.log(`nearly full 1024-entry list, 40 free, two replicas: ${JSON.stringify({ a: a.stats(), b: b.stats() })}`);
});

test('a released index may be drawn again; unused reservations are given back at shutdown', async () => {
  const allocator = new StatusIndexAllocator(db);
  const base = (await reserved(OTHER)).length;
  const index = await allocator.reserve(OTHER);
  const reservedNow = await reserved(OTHER);
  expect(reservedNow).toContain(index);
  // One round trip reserved a batch: the rest waits in this process's pool.
  expect(reservedNow.length).toBeGreaterThan(base + 1);
  await allocator.release(OTHER, [index]);
  expect(await reserved(OTHER)).not.toContain(index);
  const kept = await allocator.reserve(OTHER);
  await allocator.beforeApplicationShutdown();
  expect((await reserved(OTHER)).length).toBe(base + 1);
  expect(await reserved(OTHER)).toContain(kept);
});

test('draw: distinct, free, and uniform over the free indexes when the list is nearly full', () => {
  const taken = new Set(Array.from({ length: 900 }, (_, i) => i));
  const counts = new Map<number, number>();
  for (let run = 0; run < 2000; run++) {
    const picked = draw(taken, 10, 1000);
    expect(new Set(picked).size).toBe(10);
    for (const i of picked) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  expect([...counts.keys()].every((i) => i >= 900 && i < 1000)).toBe(true);
  // 20,000 picks over 100 free indexes: about 200 each.
  expect(Math.min(...counts.values())).toBeGreaterThan(120);
  expect(Math.max(...counts.values())).toBeLessThan(290);
  expect(draw(new Set([0, 1]), 5, 2)).toEqual([]);
});
