import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';

const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });
const text = (name: string, nullable = false) => ({ name, type: 'text', isNullable: nullable });

/**
 * The issuer's own tables. Written with TypeORM's driver-neutral Table API so the same migration runs on
 * SQLite and PostgreSQL (no SQL dialect in here).
 */
export class IssuerInitial1763700000000 implements MigrationInterface {
  name = 'IssuerInitial1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'agency',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('nameZh', 200),
          str('nameEn', 200),
          { ...str('did', 120), isUnique: true },
          str('identityAddress', 42),
          str('keyId', 200),
          str('keyAddress', 42),
          str('previousKeyId', 200, true),
          str('keyActiveFrom', 30, true),
          str('pendingKeyId', 200, true),
          str('pendingKeyAddress', 42, true),
          text('credentialTypes'),
          { ...str('apiKeyHash', 64), isUnique: true },
          int('revocationListId'),
          int('suspensionListId'),
          str('createdAt', 30),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'issued_credential',
        columns: [
          { ...str('id', 45), isPrimary: true },
          str('agencyId', 36),
          str('type', 100),
          str('subjectDid', 500),
          int('statusIndex'),
          str('state', 12),
          str('issuedAt', 30),
          str('expiresAt', 30, true),
          str('updatedAt', 30),
        ],
        uniques: [new TableUnique({ name: 'uq_issued_credential_index', columnNames: ['agencyId', 'statusIndex'] })],
        indices: [new TableIndex({ name: 'ix_issued_credential_agency', columnNames: ['agencyId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'status_change',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { ...str('id', 36), isUnique: true },
          str('agencyId', 36),
          str('credentialId', 45),
          str('action', 12),
          int('listId'),
          int('operation'),
          int('statusIndex'),
          str('state', 12),
          { ...int('attempts'), default: 0 },
          str('lastError', 500, true),
          str('txHash', 66, true),
          int('blockNumber', true),
          str('createdAt', 30),
          str('anchoredAt', 30, true),
        ],
        indices: [
          new TableIndex({ name: 'ix_status_change_pending', columnNames: ['state', 'agencyId', 'seq'] }),
          new TableIndex({ name: 'ix_status_change_credential', columnNames: ['credentialId'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_entry',
        columns: [
          { ...int('seq'), isPrimary: true },
          str('at', 30),
          str('actor', 60),
          str('agencyId', 36, true),
          str('action', 60),
          text('data'),
          str('prevHash', 64),
          str('hash', 64),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bulk_job',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('agencyId', 36),
          str('state', 12),
          int('total'),
          { ...int('succeeded'), default: 0 },
          { ...int('failed'), default: 0 },
          str('createdAt', 30),
          str('finishedAt', 30, true),
          str('purgedAt', 30, true),
        ],
        indices: [new TableIndex({ name: 'ix_bulk_job_agency', columnNames: ['agencyId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bulk_item',
        columns: [
          { ...str('jobId', 36), isPrimary: true },
          { ...int('position'), isPrimary: true },
          str('state', 12),
          text('request', true),
          str('credentialId', 45, true),
          text('jwt', true),
          str('errorCode', 60, true),
          text('errorDetails', true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['bulk_item', 'bulk_job', 'audit_entry', 'status_change', 'issued_credential', 'agency']) {
      await q.dropTable(table);
    }
  }
}
