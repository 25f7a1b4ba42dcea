import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bulk items found by job and state in position order: the bulk worker's next queued items and a job's failed
 * ones (its progress answer). Without it both walked the job's items from its first position: each chunk of a
 * 10,000-item job read every item done before it (quadratic in the job), each progress answer all of them.
 * Driver-neutral Table API (SQLite and PostgreSQL).
 */
export class BulkItemState1767700000000 implements MigrationInterface {
  name = 'BulkItemState1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('bulk_item', new TableIndex({ name: 'ix_bulk_item_job_state', columnNames: ['jobId', 'state', 'position'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('bulk_item', 'ix_bulk_item_job_state');
  }
}
