import path from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { GroupCommit, type TransactionRunner } from '../../apps/issuer/src/database/group-commit.js';
import { tempDir } from './issuer-harness.js';

// The group-commit writer on a real SQLite file (WAL, synchronous = FULL), through TypeORM transactions as the
// issuer runs it: one transaction per batch, a savepoint per item.
const temp = tempDir();
let dataSource: DataSource;
let transactions: number;
let committed: Set<string>;
/** A TransactionRunner that counts transactions and records which rows each commit made durable. */
let runner: TransactionRunner;

const rows = async () => ((await dataSource.query('SELECT id FROM item ORDER BY id')) as Array<{ id: string }>).map((r) => r.id);
const insert = (id: string) => async (m: EntityManager) => {
  await m.query('INSERT INTO item (id) VALUES (?)', [id]);
  return id;
};

beforeAll(async () => {
  dataSource = new DataSource(dataSourceOptions({ sqlitePath: path.join(temp.dir, 'group.sqlite'), entities: [], migrations: [] }));
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE item (id TEXT PRIMARY KEY)');
});

beforeEach(async () => {
  await dataSource.query('DELETE FROM item');
  transactions = 0;
  committed = new Set();
  runner = async (work) => {
    transactions++;
    const result = await dataSource.transaction(work);
    for (const id of await rows()) committed.add(id);
    return result;
  };
});

afterAll(async () => {
  await dataSource.destroy();
  temp.remove();
});

test('concurrent items share one transaction, and each caller is answered only after its commit', async () => {
  const group = new GroupCommit((work) => runner(work), { windowMs: 2 });
  const ids = Array.from({ length: 50 }, (_, i) => `a${String(i).padStart(2, '0')}`);
  const answered = await Promise.all(ids.map((id) => group.submit(insert(id)).then((value) => ({ value, durable: committed.has(id) }))));
  expect(answered.map((a) => a.value)).toEqual(ids);
  expect(answered.every((a) => a.durable)).toBe(true);
  expect(transactions).toBe(1);
  expect(await rows()).toEqual(ids);
});

test('items arriving while a batch commits form the next batch', async () => {
  const group = new GroupCommit((work) => runner(work), { windowMs: 1, maxBatch: 10 });
  const ids = Array.from({ length: 35 }, (_, i) => `b${String(i).padStart(2, '0')}`);
  await Promise.all(ids.map((id) => group.submit(insert(id))));
  expect(transactions).toBe(4);
  expect(await rows()).toEqual(ids);
});

test('a failing item is rolled back alone: its caller gets its error, the others commit', async () => {
  await dataSource.query("INSERT INTO item (id) VALUES ('taken')");
  const group = new GroupCommit((work) => runner(work), { windowMs: 2 });
  const results = await Promise.allSettled([
    group.submit(insert('c1')),
    group.submit(async (m) => {
      await m.query("INSERT INTO item (id) VALUES ('c2-partial')");
      await m.query("INSERT INTO item (id) VALUES ('taken')"); // unique violation after a first write
    }),
    group.submit(insert('c3')),
  ]);
  expect(transactions).toBe(1);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
  // The failed item's first write was undone with it.
  expect(await rows()).toEqual(['c1', 'c3', 'taken']);
});

test('a batch whose commit fails fails every item in it, and nothing of it is kept', async () => {
  const group = new GroupCommit(
    (work) =>
      dataSource.transaction(async (m) => {
        await work(m);
        throw new Error('disk full');
      }),
    { windowMs: 2 },
  );
  const results = await Promise.allSettled(['d1', 'd2', 'd3'].map((id) => group.submit(insert(id))));
  expect(results.every((r) => r.status === 'rejected' && String(r.reason).includes('disk full'))).toBe(true);
  expect(await rows()).toEqual([]);
  // The writer goes on working after a failed batch.
  const ok = new GroupCommit((work) => runner(work));
  await expect(ok.submit(insert('d4'))).resolves.toBe('d4');
  expect(await rows()).toEqual(['d4']);
});

test('items run in submission order and see the writes of the items before them', async () => {
  const group = new GroupCommit((work) => runner(work), { windowMs: 2 });
  const seen = await Promise.all(
    ['e1', 'e2', 'e3'].map((id) =>
      group.submit(async (m) => {
        const before = ((await m.query('SELECT COUNT(*) AS n FROM item')) as Array<{ n: number }>)[0].n;
        await m.query('INSERT INTO item (id) VALUES (?)', [id]);
        return before;
      }),
    ),
  );
  expect(seen).toEqual([0, 1, 2]);
});
