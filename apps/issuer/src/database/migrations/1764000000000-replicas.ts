import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, text, varchar } from '../../../../common/src/database/columns.js';

/** Hash the first audit entry links to (as in audit.service.ts; repeated so the migration stays frozen). */
const GENESIS_HASH = '0'.repeat(64);

/**
 * What several issuer replicas on one database need: the audit head row, the status index reservations,
 * the worker leases and the idempotency records. Driver-neutral Table API plus two portable INSERT … SELECT
 * (double-quoted identifiers work on SQLite and PostgreSQL) that carry over an existing database.
 */
export class Replicas1764000000000 implements MigrationInterface {
  name = 'Replicas1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_head',
        columns: [{ ...integer('id'), isPrimary: true }, integer('seq'), varchar('hash', 64)],
      }),
    );
    const [last] = (await q.query('SELECT "seq", "hash" FROM "audit_entry" ORDER BY "seq" DESC LIMIT 1')) as Array<{ seq: number; hash: string }>;
    await q.manager
      .createQueryBuilder()
      .insert()
      .into('audit_head')
      .values({ id: 1, seq: last ? Number(last.seq) : 0, hash: last?.hash ?? GENESIS_HASH })
      .execute();

    await q.createTable(
      new Table({
        name: 'status_index',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          varchar('agencyId', 36),
          integer('statusIndex'),
          varchar('batch', 36),
          varchar('reservedAt', 30),
        ],
        uniques: [new TableUnique({ name: 'uq_status_index', columnNames: ['agencyId', 'statusIndex'] })],
      }),
    );
    await q.query(
      'INSERT INTO "status_index" ("agencyId", "statusIndex", "batch", "reservedAt") ' +
        'SELECT "agencyId", "statusIndex", \'migrated\', "issuedAt" FROM "issued_credential" ORDER BY "issuedAt"',
    );

    await q.createTable(
      new Table({
        name: 'worker_lease',
        columns: [{ ...varchar('name', 60), isPrimary: true }, varchar('holder', 36, true), { ...integer('epoch'), default: 0 }, varchar('expiresAt', 30)],
      }),
    );

    await q.createTable(
      new Table({
        name: 'idempotency_record',
        columns: [
          { ...varchar('agencyId', 36), isPrimary: true },
          { ...varchar('key', 255), isPrimary: true },
          varchar('requestHash', 64),
          varchar('state', 12),
          varchar('attempt', 36),
          varchar('lockedUntil', 30),
          integer('status', true),
          text('body', true),
          varchar('createdAt', 30),
          varchar('expiresAt', 30),
        ],
        indices: [new TableIndex({ name: 'ix_idempotency_expires', columnNames: ['expiresAt'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_record', 'worker_lease', 'status_index', 'audit_head']) await q.dropTable(table);
  }
}
