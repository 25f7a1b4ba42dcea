import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { plainSql } from '../../apps/common/src/database/plain-sql.js';
import { tempDir } from '../issuer/issuer-harness.js';

// plainSql keeps its SQLite statements prepared per connection: they must keep seeing every write, and a data
// source destroyed and initialised again (a new connection) must get statements of its own.
const SELECT = 'SELECT id, used_at AS "usedAt" FROM challenges WHERE challenge = $1';
const CONSUME = 'UPDATE challenges SET used_at = $1 WHERE id = $2 AND used_at IS NULL';

async function withTable(source: DataSource): Promise<void> {
  await source.query('CREATE TABLE challenges (id varchar PRIMARY KEY, challenge varchar UNIQUE, used_at bigint)');
  await source.query("INSERT INTO challenges VALUES ('a', 'ca', NULL), ('b', 'cb', NULL)");
}

test('prepared statements see every write, answer single use once, and follow a reopened data source', async () => {
  const source = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
  await source.initialize();
  try {
    await withTable(source);
    expect((await plainSql(source, SELECT, ['ca'])).rows).toEqual([{ id: 'a', usedAt: null }]);
    expect((await plainSql(source, CONSUME, [5, 'a'])).affected).toBe(1);
    expect((await plainSql(source, CONSUME, [6, 'a'])).affected).toBe(0);
    expect((await plainSql(source, SELECT, ['ca'])).rows).toEqual([{ id: 'a', usedAt: 5 }]);
    // A write through TypeORM itself, then the kept statement again.
    await source.query("UPDATE challenges SET used_at = 7 WHERE id = 'b'");
    expect((await plainSql(source, SELECT, ['cb'])).rows).toEqual([{ id: 'b', usedAt: 7 }]);
    expect((await plainSql(source, SELECT, ['nope'])).rows).toEqual([]);

    await source.destroy();
    await source.initialize();
    await withTable(source);
    expect((await plainSql(source, SELECT, ['ca'])).rows).toEqual([{ id: 'a', usedAt: null }]);
    expect((await plainSql(source, CONSUME, [8, 'a'])).affected).toBe(1);
  } finally {
    if (source.isInitialized) await source.destroy();
  }
});

// TypeORM runs a save() as BEGIN … COMMIT with awaits between its statements, on the same single SQLite
// connection. A single-use UPDATE arriving in such a gap must not join that transaction: when it rolls back, the
// challenge would be open again after its presentation was accepted.
test('a single-use UPDATE never joins a transaction TypeORM has open on the connection', async () => {
  const source = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
  await source.initialize();
  try {
    await withTable(source);
    const runner = source.createQueryRunner();
    await runner.startTransaction();
    await runner.query("INSERT INTO challenges VALUES ('c', 'cc', NULL)");
    let settled = false;
    const consumed = plainSql(source, CONSUME, [9, 'a']).then((r) => ((settled = true), r));
    await new Promise((r) => setTimeout(r, 20));
    // Still waiting: the connection is inside the other transaction.
    expect(settled).toBe(false);
    await runner.rollbackTransaction();
    await runner.release();
    expect((await consumed).affected).toBe(1);
    // The rollback undid the INSERT only; the challenge stays used.
    expect((await plainSql(source, SELECT, ['ca'])).rows).toEqual([{ id: 'a', usedAt: 9 }]);
    expect((await plainSql(source, SELECT, ['cc'])).rows).toEqual([]);
  } finally {
    if (source.isInitialized) await source.destroy();
  }
});

// Writes on a SQLite file: those of one turn of the event loop share one transaction of their own; another
// process's write lock is waited for without stopping this one's event loop. The other process is a second
// connection to the same file, which SQLite locks exactly as it would another process.
describe('plainSql writes on a SQLite file', () => {
  const temp = tempDir();
  const file = path.join(temp.dir, 'plain.sqlite');
  let source: DataSource;
  let other: Database.Database;
  const frames = () => statSync(`${file}-wal`).size;

  beforeAll(async () => {
    source = new DataSource(dataSourceOptions({ sqlitePath: file, entities: [], migrations: [], sqliteSynchronous: 'NORMAL' }));
    await source.initialize();
    await withTable(source);
    await source.query("INSERT INTO challenges VALUES ('c', 'cc', NULL), ('d', 'cd', NULL), ('e', 'ce', NULL), ('f', 'cf', NULL)");
    other = new Database(file);
  });
  afterAll(async () => {
    other.close();
    await source.destroy();
    temp.remove();
  });

  test('writes of one tick commit together, each answering its own changes; a failing one fails alone', async () => {
    const before = frames();
    const answers = await Promise.allSettled([
      plainSql(source, CONSUME, [1, 'c']),
      plainSql(source, CONSUME, [2, 'c']),
      // The challenge column is UNIQUE: this statement is undone alone.
      plainSql(source, "UPDATE challenges SET challenge = 'cc' WHERE id = $1", ['d']),
      plainSql(source, CONSUME, [3, 'd']),
    ]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value.affected : 'rejected'))).toEqual([1, 0, 'rejected', 1]);
    expect(String((answers[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    // One commit: the table's one page went to the WAL once (three autocommits would have appended it thrice).
    const page = 4096 + 24;
    expect(frames() - before).toBeGreaterThanOrEqual(page);
    expect(frames() - before).toBeLessThan(2 * page);
    expect(other.prepare("SELECT id, challenge, used_at AS usedAt FROM challenges WHERE id IN ('c', 'd') ORDER BY id").all()).toEqual([
      { id: 'c', challenge: 'cc', usedAt: 1 },
      { id: 'd', challenge: 'cd', usedAt: 3 },
    ]);
  });

  test("another connection's write lock is waited for off the event loop; writes arriving meanwhile join the group", async () => {
    other.exec('BEGIN IMMEDIATE');
    other.prepare("UPDATE challenges SET used_at = 99 WHERE id = 'f'").run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      const first = plainSql(source, CONSUME, [4, 'e']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Submitted while the first waits for the lock: the same transaction takes it.
      const second = plainSql(source, CONSUME, [5, 'f']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      other.exec('COMMIT');
      expect((await first).affected).toBe(1);
      // The other connection used 'f' first.
      expect((await second).affected).toBe(0);
      // 200 ms held: the ticker ran all along (SQLite's own busy handler would have slept in this thread).
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(ticker);
    }
    expect((await plainSql(source, SELECT, ['ce'])).rows).toEqual([{ id: 'e', usedAt: 4 }]);
    expect((await plainSql(source, SELECT, ['cf'])).rows).toEqual([{ id: 'f', usedAt: 99 }]);
  });

  test('a write that ends the whole transaction fails its group: nothing of the group is committed', async () => {
    // RAISE(ROLLBACK) undoes the transaction, as a full disk or an I/O error would.
    await source.query("INSERT INTO challenges VALUES ('g', 'cg', NULL), ('h', 'ch', NULL)");
    await source.query("CREATE TRIGGER end_all BEFORE UPDATE ON challenges WHEN NEW.used_at = 666 BEGIN SELECT RAISE(ROLLBACK, 'ended'); END");
    try {
      const answers = await Promise.allSettled([
        plainSql(source, CONSUME, [7, 'g']),
        plainSql(source, CONSUME, [666, 'h']),
        // Never run: the group ended with the write before it.
        plainSql(source, CONSUME, [8, 'h']),
      ]);
      expect(answers.map((a) => (a.status === 'rejected' ? String(a.reason) : a.value.affected))).toEqual([
        expect.stringContaining('ended'),
        expect.stringContaining('ended'),
        expect.stringContaining('ended'),
      ]);
      expect(other.prepare("SELECT id, used_at AS usedAt FROM challenges WHERE id IN ('g', 'h') ORDER BY id").all()).toEqual([
        { id: 'g', usedAt: null },
        { id: 'h', usedAt: null },
      ]);
      // The connection is left outside any transaction, and the next group commits as usual.
      expect((await plainSql(source, CONSUME, [9, 'g'])).affected).toBe(1);
    } finally {
      await source.query('DROP TRIGGER end_all');
    }
  });
});
