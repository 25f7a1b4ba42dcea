import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SQLITE_BUSY_TIMEOUT_MS, sqliteConnectionOf, type SqliteBusyConnection } from './sqlite-busy.js';

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
 * SQLite, without TypeORM's query builder, entity mapping or query runners: on the hot routes (a challenge looked
 * up and consumed per verification) building and preparing the SQL cost more CPU than running it. The statement
 * is prepared once (SQLite: on TypeORM's one connection, so a read sees whatever that connection does, as TypeORM's
 * own queries do, and a write waits until the connection is outside any transaction and commits on its own;
 * PostgreSQL: a named statement, prepared by each pooled connection on first use).
 * Statements stay plain, conditional and portable; identifiers are written as the migrations named them.
 * `sql` must be a constant of the caller: it keys the statement caches.
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
  if (!statement.readonly) await outsideTransaction(connection);
  return runSqliteStatement<T>(statement, params);
}

/**
 * Resolves once TypeORM's SQLite connection is outside any transaction, so that the next statement commits on its
 * own. TypeORM runs a `save()` as BEGIN … COMMIT with awaits between the statements, on the same one connection: a
 * write run in such a gap joined that transaction, and its rollback undid the write after the caller was told it
 * happened (a challenge consumed, then open again). Those transactions are a few statements long; a connection
 * that stays inside one for the whole busy timeout is a bug, and fails the write.
 */
async function outsideTransaction(connection: SqliteBusyConnection): Promise<void> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (let spins = 0; connection.inTransaction; spins++) {
    if (Date.now() > deadline) throw new Error('the SQLite connection stayed inside a transaction');
    await new Promise<void>((resolve) => (spins < 100 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
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
