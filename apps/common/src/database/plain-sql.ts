import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { inOwnWriteTransaction, sqliteConnectionOf, type SqliteBusyConnection } from './sqlite-busy.js';

/** What one statement answered: its rows (SELECT, RETURNING) and how many rows it changed (UPDATE, DELETE). */
export interface PlainSqlResult<T> {
  rows: T[];
  affected: number;
}

/** The parts of a better-sqlite3 statement used here. */
export interface SqliteStatement {
  readonly reader: boolean;
  /** The statement writes nothing. */
  readonly readonly: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
/** The parts of node-postgres' pool used here (TypeORM's `master`). */
interface PostgresDriver {
  master: { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }> };
}

/**
 * Statements prepared once per SQLite connection (a data source destroyed and initialised again opens a new one)
 * and SQL text. TypeORM hands out a new query runner per call, each
 * with an empty statement cache, so every call used to compile its statement again: with the runner's own
 * bookkeeping that was a tenth of the verifier's CPU per presentation (profiled under the verification bench).
 */
const prepared = new WeakMap<SqliteBusyConnection, Map<string, SqliteStatement>>();
/** PostgreSQL statement names by SQL text: node-postgres prepares a named statement once per pooled connection. */
const statementNames = new Map<string, string>();

/**
 * Runs one parameterised statement (`$1`, `$2`… placeholders, each used once and in order) on PostgreSQL or
 * SQLite, without TypeORM's query builder, entity mapping or query runners: on the hot routes (a challenge consumed
 * per verification) building and preparing the SQL cost more CPU than running it. Each statement commits on its
 * own: the promise resolves once it is committed.
 *
 * PostgreSQL: a named statement, prepared by each pooled connection on first use. SQLite: prepared once on
 * TypeORM's one connection, so a read sees whatever that connection does, as TypeORM's own queries do. Writes are
 * grouped: those submitted in one turn of the event loop run one after another in ONE transaction of their own
 * ({@link inOwnWriteTransaction}: never inside a transaction TypeORM has open on the connection, whose rollback
 * would undo a write its caller was told had happened), sharing its commit. Each still answers its own rows and
 * changes, and one that fails (a constraint) fails alone.
 *
 * Why grouped: a commit writes every page the transaction changed to the WAL, and a verifier's single-use
 * UPDATEs mostly change the same pages (the newest rows, the end of the `used_at` index); and waiting for another
 * worker's write lock is done once per group, off the event loop, where an autocommit statement slept in SQLite's
 * busy handler. Statements stay plain, conditional and portable; identifiers are written as the migrations named
 * them. `sql` must be a constant of the caller: it keys the statement caches.
 */
export async function plainSql<T = Record<string, unknown>>(dataSource: DataSource, sql: string, params: unknown[]): Promise<PlainSqlResult<T>> {
  if (dataSource.options.type === 'postgres') {
    let name = statementNames.get(sql);
    if (name === undefined) {
      name = `govcred_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      statementNames.set(sql, name);
    }
    const result = await (dataSource.driver as unknown as PostgresDriver).master.query({ name, text: sql, values: params });
    return { rows: result.rows as T[], affected: result.rowCount ?? 0 };
  }
  if (dataSource.options.type !== 'better-sqlite3') throw new Error(`plainSql runs on PostgreSQL and better-sqlite3, not ${dataSource.options.type}`);
  const connection = sqliteConnectionOf(dataSource);
  const statement = preparedOn(connection, sql, () => sql.replace(/\$[0-9]+/g, '?'));
  if (statement.readonly) return runSqliteStatement<T>(statement, params);
  return new Promise((resolve, reject) => {
    let queue = pendingWrites.get(connection);
    if (!queue) {
      queue = [];
      pendingWrites.set(connection, queue);
      setImmediate(() => void commitWrites(connection));
    }
    queue.push({ statement, params, resolve: resolve as PendingWrite['resolve'], reject });
  });
}

/** A SQLite write of {@link plainSql} waiting for its group's transaction. */
interface PendingWrite {
  statement: SqliteStatement;
  params: unknown[];
  resolve(result: PlainSqlResult<unknown>): void;
  reject(error: unknown): void;
}
/** Per SQLite connection: the writes of the group whose transaction is about to begin. */
const pendingWrites = new WeakMap<SqliteBusyConnection, PendingWrite[]>();

/** The connection's pending writes, taken: writes submitted after this start a group of their own. */
function takePending(connection: SqliteBusyConnection): PendingWrite[] {
  const batch = pendingWrites.get(connection) ?? [];
  pendingWrites.delete(connection);
  return batch;
}

/** Runs and commits the connection's pending writes in one transaction, then answers each. */
async function commitWrites(connection: SqliteBusyConnection): Promise<void> {
  let batch: PendingWrite[] | undefined;
  let outcomes: Array<{ ok: true; result: PlainSqlResult<unknown> } | { ok: false; error: unknown }>;
  try {
    outcomes = await inOwnWriteTransaction(connection, () => {
      // Taken once the transaction has begun: writes submitted while it waited for the lock join it.
      batch = takePending(connection);
      return batch.map((write) => {
        try {
          return { ok: true as const, result: runSqliteStatement(write.statement, write.params) };
        } catch (error) {
          // A constraint error undoes this statement alone; an error that ended the whole transaction (disk full,
          // I/O) ends the group: nothing of it was committed.
          if (!connection.inTransaction) throw error;
          return { ok: false as const, error };
        }
      });
    });
  } catch (error) {
    // Nothing of this group was committed (or its transaction never began: the writes waiting are this group).
    for (const write of batch ?? takePending(connection)) write.reject(error);
    return;
  }
  batch!.forEach((write, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) write.resolve(outcome.result);
    else write.reject(outcome.error);
  });
}

/**
 * The statement `text()` (`?` placeholders) prepared once, keyed by `key`, on the one better-sqlite3 connection
 * TypeORM's driver holds for `dataSource`: it runs in whatever transaction that connection is in, as TypeORM's own
 * queries do. Throws on another database type.
 */
export function sqliteStatement(dataSource: DataSource, key: string, text: () => string = () => key): SqliteStatement {
  return preparedOn(sqliteConnectionOf(dataSource), key, text);
}

/** {@link sqliteStatement} on a connection in hand. */
function preparedOn(connection: SqliteBusyConnection, key: string, text: () => string): SqliteStatement {
  let statements = prepared.get(connection);
  if (!statements) {
    statements = new Map();
    prepared.set(connection, statements);
  }
  let statement = statements.get(key);
  if (!statement) {
    statement = connection.prepare(text()) as SqliteStatement;
    statements.set(key, statement);
  }
  return statement;
}

/** Runs a prepared SQLite statement: rows for a statement that returns some (SELECT, RETURNING), else changes. */
export function runSqliteStatement<T>(statement: SqliteStatement, params: unknown[]): PlainSqlResult<T> {
  if (statement.reader) return { rows: statement.all(...params) as T[], affected: 0 };
  return { rows: [], affected: statement.run(...params).changes };
}
