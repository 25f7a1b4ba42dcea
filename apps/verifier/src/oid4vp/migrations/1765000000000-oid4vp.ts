import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, varchar } from '../../../../common/src/database/columns.js';

/**
 * OpenID4VP requests, and the signing key of a verifier account (sealed, see KeyBox). Driver-neutral Table API:
 * the same migration runs on SQLite and PostgreSQL.
 */
export class Oid4vp1765000000000 implements MigrationInterface {
  name = 'Oid4vp1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('verifier_accounts', new TableColumn({ name: 'signing_key', type: 'text', isNullable: true }));
    await q.createTable(
      new Table({
        name: 'oid4vp_requests',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('verifier_id', 36),
          varchar('client_id', 200),
          { ...varchar('nonce', 64), isUnique: true },
          { ...varchar('state', 64), isUnique: true },
          varchar('response_mode', 20),
          { name: 'dcql_query', type: 'text' },
          { name: 'purpose', type: 'text', isNullable: true },
          { name: 'request_object', type: 'text' },
          { name: 'response_key', type: 'text', isNullable: true },
          bigint('created_at'),
          bigint('expires_at'),
          bigint('fetched_at', true),
          bigint('responded_at', true),
          varchar('status', 16),
          { name: 'result', type: 'text', isNullable: true },
          bigint('result_at', true),
        ],
      }),
    );
    await q.createIndex('oid4vp_requests', new TableIndex({ name: 'idx_oid4vp_requests_expires', columnNames: ['expires_at'] }));
    await q.createIndex('oid4vp_requests', new TableIndex({ name: 'idx_oid4vp_requests_responded', columnNames: ['responded_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('oid4vp_requests');
    await q.dropColumn('verifier_accounts', 'signing_key');
  }
}
