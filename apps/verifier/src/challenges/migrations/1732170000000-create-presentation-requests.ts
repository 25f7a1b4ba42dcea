import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Presentation requests; written with TypeORM's table API so it runs on SQLite and PostgreSQL alike. */
export class CreatePresentationRequests1732170000000 implements MigrationInterface {
  name = 'CreatePresentationRequests1732170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'presentation_requests',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'challenge', type: 'varchar', length: '64', isUnique: true },
          { name: 'domain', type: 'varchar', length: '255' },
          { name: 'query', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'used_at', type: 'bigint', isNullable: true },
          { name: 'result', type: 'text', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('presentation_requests');
  }
}
