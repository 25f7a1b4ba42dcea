import type { DataSource } from 'typeorm';

/**
 * How long a SQLite statement waits for another process's write lock before failing (cluster workers share one
 * file). Write transactions are short and never wait on the network, so waits are milliseconds; this is the
 * bound of a pathological one.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** A better-sqlite3 statement, as far as this file and TypeORM's query runner touch it. */
interface SqliteRunnable {
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
/** The raw better-sqlite3 connection, as far as this file touches it. */
export interface SqliteBusyConnection {
  prepare(sql: string): unknown;
  pragma(source: string, options?: { simple: boolean }): unknown;
  readonly inTransaction: boolean;
}

/** Per connection: its `BEGIN IMMEDIATE`, and whether {@link takeWriteLockAhead} ran it ahead of TypeORM's BEGIN. */
interface WriteLockState {
  begin: SqliteRunnable;
  takenAhead: boolean;
}
const states = new WeakMap<SqliteBusyConnection, WriteLockState>();

/**
 * Installed on every SQLite connection (data-source-options): TypeORM's `BEGIN TRANSACTION` runs as
 * `BEGIN IMMEDIATE`, or as nothing when {@link takeWriteLockAhead} began that transaction already.
 *
 * Why IMMEDIATE: TypeORM opens SQLite transactions deferred. Between processes sharing the file (cluster workers) a
 * deferred transaction that reads, then writes after another process committed, fails at once with SQLITE_BUSY
 * (its snapshot is stale, and waiting cannot help). `BEGIN IMMEDIATE` takes the write lock at the start, so every
 * write transaction runs on the latest data. Within one process nothing changes: TypeORM's single connection
 * already ran one transaction at a time.
 */
export function installBeginHook(db: SqliteBusyConnection): void {
  const prepare = db.prepare.bind(db) as (sql: string) => SqliteRunnable;
  const state: WriteLockState = { begin: prepare('BEGIN IMMEDIATE TRANSACTION'), takenAhead: false };
  states.set(db, state);
  // TypeORM's query runner reads `reader` and calls `run` of what `prepare` gave it, nothing else.
  const begin: SqliteRunnable = {
    reader: false,
    run: () => {
      if (!state.takenAhead) return state.begin.run();
      state.takenAhead = false;
      return { changes: 0, lastInsertRowid: 0 };
    },
  };
  db.prepare = (sql: string) => (sql === 'BEGIN TRANSACTION' ? begin : prepare(sql));
}

const isBusy = (error: unknown) => (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';

/**
 * Runs `attempt` (one SQLite statement on `db`) without letting SQLite wait for another process's write lock on
 * the event loop: the connection's busy timeout is 0 for the attempt, and a SQLITE_BUSY is retried after yielding
 * (setImmediate, then 1, 2, 4, 4… ms), up to {@link SQLITE_BUSY_TIMEOUT_MS}. SQLite's own busy handler sleeps in
 * the calling thread (1, 2, 5, 10, 15… ms), which here is the whole process: two cluster workers issuing
 * credentials spent a tenth of their time asleep in `BEGIN IMMEDIATE`, serving nothing. `attempt` must have no
 * effect when it fails with SQLITE_BUSY (a BEGIN, or a statement in autocommit mode). `ready` false: not yet
 * attempted, waited for the same way (the connection is inside a transaction that must end first).
 * Hand-written: better-sqlite3 exposes no busy handler to replace, only the timeout.
 */
async function withoutBlockingOnBusy<T>(db: SqliteBusyConnection, attempt: () => T, ready: () => boolean = () => true): Promise<T> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (let wait = 0; ; wait = Math.min(wait * 2 || 1, 4)) {
    if (ready()) {
      db.pragma('busy_timeout = 0', { simple: true });
      try {
        return attempt();
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      } finally {
        db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, { simple: true });
      }
    } else if (Date.now() >= deadline) {
      throw new Error('the SQLite connection stayed inside another transaction');
    }
    await new Promise<void>((resolve) => (wait === 0 ? setImmediate(resolve) : setTimeout(resolve, wait)));
  }
}

/** Per connection: the statements of {@link inOwnWriteTransaction}. */
const ownTransactions = new WeakMap<SqliteBusyConnection, { begin: SqliteRunnable; commit: SqliteRunnable; rollback: SqliteRunnable }>();

/**
 * Runs `work` (synchronous statements on `db`) in a write transaction of its own and commits it. The transaction
 * begins (`BEGIN IMMEDIATE`) only once the connection is outside any other transaction (TypeORM runs its
 * transactions on the same one connection, with awaits between their statements) and the write lock is free, both
 * waited for without blocking the event loop ({@link withoutBlockingOnBusy}). From BEGIN to COMMIT nothing yields,
 * so no other statement of this process joins the transaction. `work` throwing rolls it back.
 * @throws the error of `work` or of COMMIT (rolled back), or a lock not had within {@link SQLITE_BUSY_TIMEOUT_MS}
 */
export async function inOwnWriteTransaction<T>(db: SqliteBusyConnection, work: () => T): Promise<T> {
  let statements = ownTransactions.get(db);
  if (!statements) {
    const prepare = (sql: string) => db.prepare(sql) as SqliteRunnable;
    statements = { begin: prepare('BEGIN IMMEDIATE'), commit: prepare('COMMIT'), rollback: prepare('ROLLBACK') };
    ownTransactions.set(db, statements);
  }
  const { begin, commit, rollback } = statements;
  await withoutBlockingOnBusy(db, () => begin.run(), () => !db.inTransaction);
  try {
    const result = work();
    commit.run();
    return result;
  } catch (error) {
    if (db.inTransaction) rollback.run();
    throw error;
  }
}

/** TypeORM's one better-sqlite3 connection of `dataSource`. */
export function sqliteConnectionOf(dataSource: DataSource): SqliteBusyConnection {
  if (dataSource.options.type !== 'better-sqlite3') throw new Error(`not a better-sqlite3 data source: ${dataSource.options.type}`);
  return (dataSource.driver as unknown as { databaseConnection: SqliteBusyConnection }).databaseConnection;
}

/**
 * Takes the SQLite write lock for the next `dataSource.transaction()` without blocking the event loop while
 * another process holds it ({@link withoutBlockingOnBusy}): the transaction is begun here, and TypeORM's BEGIN of
 * that transaction then does nothing. The caller must start that transaction next (before any other), and call
 * {@link releaseUnusedWriteLock} after it, in case TypeORM failed before its BEGIN.
 * @returns false (nothing taken) when the connection is inside a transaction already.
 */
export async function takeWriteLockAhead(dataSource: DataSource): Promise<boolean> {
  const db = sqliteConnectionOf(dataSource);
  const state = states.get(db);
  if (!state || db.inTransaction) return false;
  await withoutBlockingOnBusy(db, () => state.begin.run());
  state.takenAhead = true;
  return true;
}

/**
 * Rolls back a transaction {@link takeWriteLockAhead} began if TypeORM never took it over (unless TypeORM's own
 * rollback after its failed start ended it already).
 */
export function releaseUnusedWriteLock(dataSource: DataSource): void {
  const db = sqliteConnectionOf(dataSource);
  const state = states.get(db);
  if (!state?.takenAhead) return;
  state.takenAhead = false;
  if (db.inTransaction) (db.prepare('ROLLBACK') as SqliteRunnable).run();
}
