import path from 'node:path';
import Database from 'better-sqlite3';
import { DataSource, EventSubscriber, type EntitySubscriberInterface } from 'typeorm';
import type { BetterSqlite3ConnectionOptions } from 'typeorm/driver/better-sqlite3/BetterSqlite3ConnectionOptions.js';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { DbWriter } from '../../apps/issuer/src/database/db-writer.service.js';
import { tempDir } from './issuer-harness.js';

// Cluster workers share one SQLite file. While another process holds its write lock, a write here must wait
// without stopping this process's event loop (SQLite's own busy handler sleeps in the thread): timers, HTTP and
// the other process's progress go on, and the write lands once the lock is free. The other process is a second
// connection to the same file, which SQLite locks exactly as it would another process.
const temp = tempDir();
let dataSource: DataSource;
let other: Database.Database;
let writer: DbWriter;
const file = path.join(temp.dir, 'lock.sqlite');

beforeAll(async () => {
  dataSource = new DataSource(dataSourceOptions({ sqlitePath: file, entities: [], migrations: [], sqliteSynchronous: 'NORMAL' }));
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE item (id TEXT PRIMARY KEY, used INTEGER)');
  other = new Database(file);
  writer = new DbWriter(dataSource);
});
afterAll(async () => {
  other.close();
  await dataSource.destroy();
  temp.remove();
});

/** Holds the other connection's write lock for `ms`, released by a timer of this very event loop. */
function holdLockFor(ms: number): Promise<void> {
  other.exec('BEGIN IMMEDIATE');
  other.prepare("INSERT INTO item (id, used) VALUES ('other-' || hex(randomblob(4)), 0)").run();
  return new Promise((resolve) =>
    setTimeout(() => {
      other.exec('COMMIT');
      resolve();
    }, ms),
  );
}

/** Counts timer ticks while `promise` runs: a blocked event loop ticks not at all. */
async function ticksDuring<T>(promise: () => Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  try {
    return { value: await promise(), ticks };
  } finally {
    clearInterval(ticker);
  }
}

test('a write transaction waits for another connection\'s lock off the event loop, then commits', async () => {
  const released = holdLockFor(200);
  const { value, ticks } = await ticksDuring(() => writer.write((m) => m.query("INSERT INTO item (id, used) VALUES ('a', 0)").then(() => 'written')));
  await released;
  expect(value).toBe('written');
  // Held 200 ms: the ticker ran all along (with SQLite's busy handler the lock is never released: its release is
  // one of this loop's timers, so the write would fail after the 10 s busy timeout instead).
  expect(ticks).toBeGreaterThanOrEqual(10);
  expect(other.prepare("SELECT count(*) AS n FROM item WHERE id = 'a'").get()).toEqual({ n: 1 });
});

test('a failed transaction rolls back and the next one begins as usual', async () => {
  await expect(writer.write(async (m) => {
    await m.query("INSERT INTO item (id, used) VALUES ('b', 0)");
    throw new Error('work failed');
  })).rejects.toThrow('work failed');
  expect((await dataSource.query("SELECT count(*) AS n FROM item WHERE id = 'b'"))[0].n).toBe(0);
  await writer.write((m) => m.query("INSERT INTO item (id, used) VALUES ('c', 0)"));
  // Both connections see it, and nothing is left open here.
  expect(other.prepare("SELECT count(*) AS n FROM item WHERE id = 'c'").get()).toEqual({ n: 1 });
  expect(((dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection).inTransaction).toBe(false);
});

test('a transaction TypeORM fails to start (before its BEGIN) leaves no lock behind', async () => {
  let refuse = false;
  // A subscriber that refuses the next transaction start once armed: TypeORM throws before it sends BEGIN.
  @EventSubscriber()
  class RefuseOnce implements EntitySubscriberInterface {
    beforeTransactionStart(): void {
      if (refuse) {
        refuse = false;
        throw new Error('refused to start');
      }
    }
  }
  const source = new DataSource({
    ...(dataSourceOptions({ sqlitePath: path.join(temp.dir, 'refuse.sqlite'), entities: [], migrations: [], sqliteSynchronous: 'NORMAL' }) as BetterSqlite3ConnectionOptions),
    subscribers: [RefuseOnce],
  });
  await source.initialize();
  try {
    await source.query('CREATE TABLE item (id TEXT PRIMARY KEY)');
    expect(source.subscribers).toHaveLength(1);
    const refusing = new DbWriter(source);
    refuse = true;
    await expect(refusing.write((m) => m.query("INSERT INTO item (id) VALUES ('x')"))).rejects.toThrow('refused to start');
    const connection = (source.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
    expect(connection.inTransaction).toBe(false);
    // Another connection can take the write lock at once: nothing holds it.
    const outside = new Database(path.join(temp.dir, 'refuse.sqlite'), { timeout: 0 });
    try {
      outside.exec('BEGIN IMMEDIATE');
      outside.exec('ROLLBACK');
    } finally {
      outside.close();
    }
  } finally {
    await source.destroy();
  }
});
