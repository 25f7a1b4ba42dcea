import type { DataSource, EntityManager, QueryResult } from 'typeorm';
import { runSqliteStatement, sqliteStatement } from '../../../common/src/database/plain-sql.js';

/** What one statement gave back. */
export interface SqlResult<T> {
  rows: T[];
  /** Rows changed (INSERT, UPDATE, DELETE). */
  affected: number;
}

/**
 * Runs one hand-written statement in the transaction of `m`: `?` placeholders (numbered `$n` for PostgreSQL),
 * the same SQL on both databases (double-quoted identifiers, RETURNING). For the few statements on the issuance
 * path: TypeORM's query builder and repository calls cost ~0.1–0.3 ms of CPU each to build and map (regexes over
 * the SQL, a re-select of defaults after every insert), several times the statement itself; and a constant
 * SQL text lets better-sqlite3 reuse its prepared statement (TypeORM inlines numbers into the text).
 * @throws Error outside a transaction (caller misuse): `m` must come from a write transaction.
 */
export async function runSql<T = Record<string, unknown>>(m: EntityManager, sql: string, parameters: unknown[]): Promise<SqlResult<T>> {
  const runner = m.queryRunner;
  if (!runner || !runner.isTransactionActive) throw new Error('runSql needs the EntityManager of a transaction');
  // SQLite: TypeORM's driver has one connection, whose transaction this is; its statement prepared once there
  // (a query runner, one per transaction, prepared every statement again for each group commit).
  if (m.connection.options.type === 'better-sqlite3') return runSqliteStatement<T>(sqliteStatement(m.connection, sql), parameters);
  let n = 0;
  const text = m.connection.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
  const result = (await runner.query(text, parameters, true)) as QueryResult;
  return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
}

/**
 * Reads rows with one hand-written SELECT outside any transaction (same placeholders as {@link runSql}): for the
 * reads every request makes.
 */
export async function selectSql<T = Record<string, unknown>>(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<T[]> {
  // SQLite: prepared once on the one connection (`dataSource.query` makes and releases a query runner per call).
  if (dataSource.options.type === 'better-sqlite3') return runSqliteStatement<T>(sqliteStatement(dataSource, sql), parameters).rows;
  let n = 0;
  const text = dataSource.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
  return (await dataSource.query(text, parameters)) as T[];
}
