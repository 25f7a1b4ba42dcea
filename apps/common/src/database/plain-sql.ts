import type { DataSource } from 'typeorm';

/** What one statement answered: its rows (SELECT, RETURNING) and how many rows it changed (UPDATE, DELETE). */
export interface PlainSqlResult<T> {
  rows: T[];
  affected: number;
}

/**
 * Runs one parameterised statement (`$1`, `$2`… placeholders, each used once and in order) on PostgreSQL or
 * SQLite, without TypeORM's query builder and entity mapping: on the hot routes (a challenge looked up and
 * consumed per verification) building the SQL cost more CPU than running it. Statements stay plain,
 * conditional and portable; identifiers are written as the migrations named them.
 */
export async function plainSql<T = Record<string, unknown>>(dataSource: DataSource, sql: string, params: unknown[]): Promise<PlainSqlResult<T>> {
  const text = dataSource.options.type === 'postgres' ? sql : sql.replace(/\$[0-9]+/g, '?');
  const runner = dataSource.createQueryRunner();
  try {
    const result = await runner.query(text, params, true);
    return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
  } finally {
    await runner.release();
  }
}
