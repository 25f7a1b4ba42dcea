import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, text, varchar } from '../../../../common/src/database/columns.js';

/** OID4VCI offers, nonces and access tokens (driver-neutral Table API: SQLite and PostgreSQL). */
export class Oid4vci1763800000000 implements MigrationInterface {
  name = 'Oid4vci1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'oid4vci_offer',
        columns: [
          { ...varchar('codeHash', 64), isPrimary: true },
          varchar('credentialIssuer', 300),
          varchar('configurationId', 120),
          varchar('txCodeHash', 64, true),
          integer('txCodeFailures'),
          varchar('createdAt', 30),
          varchar('expiresAt', 30),
          varchar('redeemedAt', 30, true),
          text('context'),
        ],
        indices: [new TableIndex({ name: 'idx_oid4vci_offer_expires', columnNames: ['expiresAt'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'oid4vci_nonce',
        columns: [{ ...varchar('nonce', 100), isPrimary: true }, varchar('credentialIssuer', 300), varchar('expiresAt', 30)],
        indices: [new TableIndex({ name: 'idx_oid4vci_nonce_expires', columnNames: ['expiresAt'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'oid4vci_access_token',
        columns: [
          { ...varchar('tokenHash', 64), isPrimary: true },
          varchar('credentialIssuer', 300),
          varchar('offerCodeHash', 64),
          varchar('configurationId', 120),
          text('context'),
          varchar('expiresAt', 30),
          varchar('usedAt', 30, true),
        ],
        indices: [new TableIndex({ name: 'idx_oid4vci_token_expires', columnNames: ['expiresAt'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('oid4vci_access_token');
    await q.dropTable('oid4vci_nonce');
    await q.dropTable('oid4vci_offer');
  }
}
