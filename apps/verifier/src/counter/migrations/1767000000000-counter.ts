import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, integer, text, varchar } from '../../../../common/src/database/columns.js';

/**
 * The counter page: clerks of verifier accounts, their sessions, sign-in failure counts and the checks they asked.
 * In the database (not in memory) so replicas share them. Driver-neutral Table API: the same migration runs on
 * SQLite and PostgreSQL.
 */
export class Counter1767000000000 implements MigrationInterface {
  name = 'Counter1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'counter_clerks',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('verifier_id', 36),
          { ...varchar('username', 64), isUnique: true },
          varchar('display_name', 200),
          varchar('role', 12),
          varchar('password_hash', 200),
          bigint('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_counter_clerks_verifier', columnNames: ['verifier_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'counter_sessions',
        columns: [{ ...varchar('token_hash', 64), isPrimary: true }, varchar('clerk_id', 36), varchar('verifier_id', 36), bigint('created_at'), bigint('expires_at')],
        indices: [
          new TableIndex({ name: 'idx_counter_sessions_clerk', columnNames: ['clerk_id'] }),
          new TableIndex({ name: 'idx_counter_sessions_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'counter_sign_in_failures',
        columns: [{ ...varchar('key', 120), isPrimary: true }, integer('count'), varchar('window_start', 30)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'counter_checks',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('verifier_id', 36),
          varchar('clerk_id', 36),
          varchar('preset', 32, true),
          text('check_spec'),
          bigint('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_counter_checks_clerk', columnNames: ['clerk_id'] }),
          new TableIndex({ name: 'idx_counter_checks_created', columnNames: ['created_at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['counter_checks', 'counter_sign_in_failures', 'counter_sessions', 'counter_clerks']) await q.dropTable(table);
  }
}
