import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, varchar } from '../../../../common/src/database/columns.js';

/**
 * Unlinkable SD-JWT VC copies (OID4VCI batch issuance): one row per copy with its own status index, keyed like
 * every index by (agency, index), found by credential. Driver-neutral Table API (SQLite and PostgreSQL).
 */
export class CredentialCopies1767200000000 implements MigrationInterface {
  name = 'CredentialCopies1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'issued_credential_copy',
        columns: [
          { ...varchar('agencyId', 36), isPrimary: true },
          { ...integer('statusIndex'), isPrimary: true },
          varchar('credentialId', 45),
          integer('copy'),
          varchar('issuedAt', 30),
        ],
        indices: [new TableIndex({ name: 'ix_issued_credential_copy_credential', columnNames: ['credentialId'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('issued_credential_copy');
  }
}
