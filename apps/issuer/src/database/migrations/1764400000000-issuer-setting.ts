import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varchar } from '../../../../common/src/database/columns.js';

/** Settings every replica on one database must share, recorded by the first replica (see settings/shared-settings.ts). */
export class IssuerSetting1764400000000 implements MigrationInterface {
  name = 'IssuerSetting1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'issuer_setting',
        columns: [{ ...varchar('name', 64), isPrimary: true }, varchar('value', 512), varchar('recorded_at', 30)],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('issuer_setting');
  }
}
