import { DataSource } from 'typeorm';
import { plainSql } from '../../apps/common/src/database/plain-sql.js';

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
