import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varchar } from '../../../../common/src/database/columns.js';

/**
 * Key compromise (issue 15 §2): `signingHaltedAt` is set when a compromise of the signing key is opened and
 * cleared when the new key is relayed; while set, nothing is signed (the stolen key must not sign one more
 * credential, and the replacement is not on chain yet). A column, not memory: every replica must stop at once.
 */
export class KeyCompromise1767500000000 implements MigrationInterface {
  name = 'KeyCompromise1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('agency', new TableColumn(varchar('signingHaltedAt', 30, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('agency', 'signingHaltedAt');
  }
}
