import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { DbWriter } from '../../apps/issuer/src/database/db-writer.service.js';
import { walSync } from '../../apps/issuer/src/database/wal-sync.js';
import { tempDir } from './issuer-harness.js';

// SQLite with synchronous = NORMAL and the WAL synced by DbWriter (off the event loop) instead of inside COMMIT:
// no caller is answered, and no later write starts, before the sync of its transaction has completed.
const temp = tempDir();
let dataSource: DataSource;
const events: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dataSource = new DataSource(dataSourceOptions({ sqlitePath: path.join(temp.dir, 'wal.sqlite'), entities: [], migrations: [], sqliteSynchronous: 'NORMAL' }));
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE item (id TEXT PRIMARY KEY)');
});
beforeEach(() => {
  events.length = 0;
});
afterAll(async () => {
  await dataSource.destroy();
  temp.remove();
});

/** The real WAL sync, slowed down and logged, so that ordering is observable. */
function loggedSync(delayMs: number) {
  const real = walSync(dataSource)!;
  return async () => {
    events.push('sync start');
    await sleep(delayMs);
    await real();
    events.push('sync end');
  };
}
const insert = (id: string) => async (m: EntityManager) => {
  events.push(`tx ${id}`);
  await m.query('INSERT INTO item (id) VALUES (?)', [id]);
  return id;
};

test('the WAL exists and is what gets synced; PostgreSQL and in-memory SQLite have nothing to sync', async () => {
  expect(existsSync(path.join(temp.dir, 'wal.sqlite-wal'))).toBe(true);
  expect(await dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]); // NORMAL
  await expect(walSync(dataSource)!()).resolves.toBeUndefined();
  expect(walSync({ options: { type: 'postgres' } } as DataSource)).toBeUndefined();
  expect(walSync({ options: { type: 'better-sqlite3', database: ':memory:' } } as DataSource)).toBeUndefined();
});

test('a write is answered after its sync, and the next write starts only after it (the event loop runs meanwhile)', async () => {
  const db = new DbWriter(dataSource, loggedSync(60));
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  const first = db.write(insert('a')).then((id) => events.push(`answered ${id}`));
  const second = db.write(insert('b')).then((id) => events.push(`answered ${id}`));
  await Promise.all([first, second]);
  clearInterval(ticker);
  expect(events).toEqual(['tx a', 'sync start', 'sync end', 'answered a', 'tx b', 'sync start', 'sync end', 'answered b']);
  // ~120 ms of syncs: the timer kept firing (a COMMIT with synchronous = FULL would have blocked it).
  expect(ticks).toBeGreaterThan(5);
});

test('group commit: every item of a batch is answered after the batch is synced', async () => {
  const db = new DbWriter(dataSource, loggedSync(30));
  const answers = await Promise.all(['c', 'd', 'e'].map((id) => db.writeGrouped(insert(id)).then((value) => ({ value, synced: events.includes('sync end') }))));
  expect(answers).toEqual(['c', 'd', 'e'].map((value) => ({ value, synced: true })));
  expect(events.filter((e) => e === 'sync end')).toHaveLength(1);
});

test('a failed sync fails the write (its caller is not told the data is safe), and releases the write lock', async () => {
  let failing = true;
  const real = walSync(dataSource)!;
  const db = new DbWriter(dataSource, async () => {
    if (failing) throw new Error('EIO');
    await real();
  });
  await expect(db.write(insert('f'))).rejects.toThrow('EIO');
  failing = false;
  await expect(db.write(insert('g'))).resolves.toBe('g');
});
