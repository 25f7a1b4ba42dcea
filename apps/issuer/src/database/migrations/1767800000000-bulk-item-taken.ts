import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varchar } from '../../../../common/src/database/columns.js';

/**
 * Bulk jobs worked by every process at once: a chunk of items is taken (`state = 'taken'`) by one process with a
 * token of its own (`takenBy`) until `takenUntil`, after which another may take it over; and the processes'
 * look for the oldest unfinished job goes through an index instead of reading every job ever stored.
 * Driver-neutral Table API (SQLite and PostgreSQL).
 */
export class BulkItemTaken1767800000000 implements MigrationInterface {
  name = 'BulkItemTaken1767800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('bulk_item', new TableColumn(varchar('takenBy', 36, true)));
    await q.addColumn('bulk_item', new TableColumn(varchar('takenUntil', 30, true)));
    await q.createIndex('bulk_job', new TableIndex({ name: 'ix_bulk_job_state_created', columnNames: ['state', 'createdAt'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('bulk_job', 'ix_bulk_job_state_created');
    await q.dropColumn('bulk_item', 'takenUntil');
    await q.dropColumn('bulk_item', 'takenBy');
  }
}
