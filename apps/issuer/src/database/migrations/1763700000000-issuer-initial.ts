import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, text, varchar } from '../../../../common/src/database/columns.js';

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
          { ...varchar('id', 36), isPrimary: true },
          varchar('nameZh', 200),
          varchar('nameEn', 200),
          { ...varchar('did', 120), isUnique: true },
          varchar('identityAddress', 42),
          varchar('keyId', 200),
          varchar('keyAddress', 42),
          varchar('previousKeyId', 200, true),
          varchar('keyActiveFrom', 30, true),
          varchar('pendingKeyId', 200, true),
          varchar('pendingKeyAddress', 42, true),
          text('credentialTypes'),
          { ...varchar('apiKeyHash', 64), isUnique: true },
          integer('revocationListId'),
          integer('suspensionListId'),
          varchar('createdAt', 30),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'issued_credential',
        columns: [
          { ...varchar('id', 45), isPrimary: true },
          varchar('agencyId', 36),
          varchar('type', 100),
          varchar('subjectDid', 500),
          integer('statusIndex'),
          varchar('state', 12),
          varchar('issuedAt', 30),
          varchar('expiresAt', 30, true),
          varchar('updatedAt', 30),
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
          { ...varchar('id', 36), isUnique: true },
          varchar('agencyId', 36),
          varchar('credentialId', 45),
          varchar('action', 12),
          integer('listId'),
          integer('operation'),
          integer('statusIndex'),
          varchar('state', 12),
          { ...integer('attempts'), default: 0 },
          varchar('lastError', 500, true),
          varchar('txHash', 66, true),
          integer('blockNumber', true),
          varchar('createdAt', 30),
          varchar('anchoredAt', 30, true),
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
          { ...integer('seq'), isPrimary: true },
          varchar('at', 30),
          varchar('actor', 60),
          varchar('agencyId', 36, true),
          varchar('action', 60),
          text('data'),
          varchar('prevHash', 64),
          varchar('hash', 64),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bulk_job',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('agencyId', 36),
          varchar('state', 12),
          integer('total'),
          { ...integer('succeeded'), default: 0 },
          { ...integer('failed'), default: 0 },
          varchar('createdAt', 30),
          varchar('finishedAt', 30, true),
          varchar('purgedAt', 30, true),
        ],
        indices: [new TableIndex({ name: 'ix_bulk_job_agency', columnNames: ['agencyId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bulk_item',
        columns: [
          { ...varchar('jobId', 36), isPrimary: true },
          { ...integer('position'), isPrimary: true },
          varchar('state', 12),
          text('request', true),
          varchar('credentialId', 45, true),
          text('jwt', true),
          varchar('errorCode', 60, true),
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
