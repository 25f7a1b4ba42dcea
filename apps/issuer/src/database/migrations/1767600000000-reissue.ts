import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varchar } from '../../../../common/src/database/columns.js';

/**
 * Re-issuance after a key compromise (issue 15 §2): `issued_credential.reissuedAt` makes re-issuance single use
 * (set by a conditional UPDATE); `agency_key.revokedBlock` is the block of a compromised key's revocation, which
 * the anchor of a credential's issuance must precede.
 */
export class Reissue1767600000000 implements MigrationInterface {
  name = 'Reissue1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('issued_credential', new TableColumn(varchar('reissuedAt', 30, true)));
    await q.addColumn('agency_key', new TableColumn({ name: 'revokedBlock', type: 'integer', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('agency_key', 'revokedBlock');
    await q.dropColumn('issued_credential', 'reissuedAt');
  }
}
