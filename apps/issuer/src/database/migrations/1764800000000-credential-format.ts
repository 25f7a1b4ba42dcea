import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text } from '../../../../common/src/database/columns.js';

/**
 * SD-JWT VC beside JWT VC: each issued credential's record names its format (every earlier one is a JWT VC),
 * and a bulk item keeps its VC-API `options` (format, holder key) until processed. Driver-neutral Table API.
 */
export class CredentialFormat1764800000000 implements MigrationInterface {
  name = 'CredentialFormat1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('issued_credential', new TableColumn({ name: 'format', type: 'varchar', length: '20', isNullable: false, default: "'jwt_vc_json'" }));
    await q.addColumn('bulk_item', new TableColumn(text('options', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('bulk_item', 'options');
    await q.dropColumn('issued_credential', 'format');
  }
}
