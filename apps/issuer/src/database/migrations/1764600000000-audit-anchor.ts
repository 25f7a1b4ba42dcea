import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, varchar } from '../../../../common/src/database/columns.js';

/** The audit anchoring outbox and the issuer's audit identity (driver-neutral Table API). */
export class AuditAnchor1764600000000 implements MigrationInterface {
  name = 'AuditAnchor1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_anchor',
        columns: [
          { ...integer('index'), isPrimary: true },
          integer('firstSeq'),
          integer('lastSeq'),
          integer('count'),
          varchar('root', 66),
          varchar('state', 12),
          integer('fromBlock'),
          varchar('txHash', 66, true),
          integer('blockNumber', true),
          varchar('createdAt', 30),
          varchar('anchoredAt', 30, true),
          { ...integer('attempts'), default: 0 },
          varchar('lastError', 500, true),
        ],
        indices: [new TableIndex({ name: 'ix_audit_anchor_range', columnNames: ['firstSeq', 'lastSeq'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_stream',
        columns: [{ ...integer('id'), isPrimary: true }, varchar('did', 120), varchar('identityAddress', 42), varchar('keyId', 200), varchar('createdAt', 30)],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_stream', 'audit_anchor']) await q.dropTable(table);
  }
}
