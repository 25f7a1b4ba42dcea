import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string) => ({ name, type: 'integer', isNullable: false });
const text = (name: string) => ({ name, type: 'text', isNullable: false });

/** OID4VCI offers, nonces and access tokens (driver-neutral Table API: SQLite and PostgreSQL). */
export class Oid4vci1763800000000 implements MigrationInterface {
  name = 'Oid4vci1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'oid4vci_offer',
        columns: [
          { ...str('codeHash', 64), isPrimary: true },
          str('credentialIssuer', 300),
          str('configurationId', 120),
          str('txCodeHash', 64, true),
          int('txCodeFailures'),
          str('createdAt', 30),
          str('expiresAt', 30),
          str('redeemedAt', 30, true),
          text('context'),
        ],
        indices: [new TableIndex({ name: 'idx_oid4vci_offer_expires', columnNames: ['expiresAt'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'oid4vci_nonce',
        columns: [{ ...str('nonce', 100), isPrimary: true }, str('credentialIssuer', 300), str('expiresAt', 30)],
        indices: [new TableIndex({ name: 'idx_oid4vci_nonce_expires', columnNames: ['expiresAt'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'oid4vci_access_token',
        columns: [
          { ...str('tokenHash', 64), isPrimary: true },
          str('credentialIssuer', 300),
          str('offerCodeHash', 64),
          str('configurationId', 120),
          text('context'),
          str('expiresAt', 30),
          str('usedAt', 30, true),
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
