import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, varchar } from '../../../../common/src/database/columns.js';

/**
 * Property title chains and printable certificate numbers: the agency's superseded and encumbered lists (null
 * until created on chain: existing property registries get them at their next property issuance), and per
 * credential its certificate number, title id, JWT hash and transfer links. Nullable: rows of earlier
 * credentials stay as they were.
 */
export class TitleChain1764700000000 implements MigrationInterface {
  name = 'TitleChain1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('agency', [integer('supersededListId', true), integer('encumberedListId', true)].map((c) => new TableColumn(c)));
    await q.addColumns(
      'issued_credential',
      [
        varchar('certificateNumber', 32, true),
        varchar('titleId', 66, true),
        varchar('credentialHash', 66, true),
        varchar('predecessorId', 45, true),
        varchar('successorId', 45, true),
      ].map((c) => new TableColumn(c)),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['successorId', 'predecessorId', 'credentialHash', 'titleId', 'certificateNumber']) await q.dropColumn('issued_credential', c);
    for (const c of ['encumberedListId', 'supersededListId']) await q.dropColumn('agency', c);
  }
}
