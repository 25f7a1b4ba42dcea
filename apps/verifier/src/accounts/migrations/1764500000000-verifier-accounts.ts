import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, varchar } from '../../../../common/src/database/columns.js';

/**
 * Verifier accounts, the owner of each presentation request, and when its result was stored (retention).
 * Driver-neutral Table API: the same migration runs on SQLite and PostgreSQL. Requests made before have no
 * owner: nobody can read their results, and the purge loop deletes them once past retention.
 */
export class VerifierAccounts1764500000000 implements MigrationInterface {
  name = 'VerifierAccounts1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'verifier_accounts',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('name_zh', 200),
          varchar('name_en', 200),
          varchar('did', 120, true),
          { ...varchar('api_key_hash', 64), isUnique: true },
          bigint('created_at'),
        ],
      }),
    );
    await q.addColumns('presentation_requests', [new TableColumn(varchar('verifier_id', 36, true)), new TableColumn(bigint('result_at', true))]);
    // The purge loop deletes by these two times.
    await q.createIndex('presentation_requests', new TableIndex({ name: 'idx_presentation_requests_expires', columnNames: ['expires_at'] }));
    await q.createIndex('presentation_requests', new TableIndex({ name: 'idx_presentation_requests_used', columnNames: ['used_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('presentation_requests', 'idx_presentation_requests_used');
    await q.dropIndex('presentation_requests', 'idx_presentation_requests_expires');
    await q.dropColumn('presentation_requests', 'result_at');
    await q.dropColumn('presentation_requests', 'verifier_id');
    await q.dropTable('verifier_accounts');
  }
}
