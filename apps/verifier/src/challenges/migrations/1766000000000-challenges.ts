import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint } from '../../../../common/src/database/columns.js';

/**
 * The private presentation-request flow is gone: what is left of a request is its challenge. The table keeps its
 * rows (open challenges stay usable across the upgrade) and loses the query and the stored results, which nobody
 * can read any more. Driver-neutral Table API: the same migration runs on SQLite and PostgreSQL.
 */
export class Challenges1766000000000 implements MigrationInterface {
  name = 'Challenges1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('presentation_requests', 'idx_presentation_requests_used');
    await q.dropIndex('presentation_requests', 'idx_presentation_requests_expires');
    await q.dropColumns('presentation_requests', ['query', 'result', 'result_at']);
    await q.renameTable('presentation_requests', 'challenges');
    // The purge loop deletes by these two times.
    await q.createIndex('challenges', new TableIndex({ name: 'idx_challenges_expires', columnNames: ['expires_at'] }));
    await q.createIndex('challenges', new TableIndex({ name: 'idx_challenges_used', columnNames: ['used_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('challenges', 'idx_challenges_used');
    await q.dropIndex('challenges', 'idx_challenges_expires');
    await q.renameTable('challenges', 'presentation_requests');
    // Challenges have no query: the old flow reads '{"credentials":[]}' as asking for nothing in particular.
    await q.addColumns('presentation_requests', [
      new TableColumn({ name: 'query', type: 'text', default: `'{"credentials":[]}'` }),
      new TableColumn({ name: 'result', type: 'text', isNullable: true }),
      new TableColumn(bigint('result_at', true)),
    ]);
    await q.createIndex('presentation_requests', new TableIndex({ name: 'idx_presentation_requests_expires', columnNames: ['expires_at'] }));
    await q.createIndex('presentation_requests', new TableIndex({ name: 'idx_presentation_requests_used', columnNames: ['used_at'] }));
  }
}
