import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, varchar } from '../../../../common/src/database/columns.js';

/** Staff accounts of agencies, their portal sessions and the sign-in failure counts (see staff/). */
export class Staff1764900000000 implements MigrationInterface {
  name = 'Staff1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'staff_member',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('agencyId', 36),
          { ...varchar('username', 64), isUnique: true },
          varchar('displayName', 200),
          varchar('role', 12),
          varchar('passwordHash', 200),
          varchar('createdAt', 30),
        ],
        indices: [new TableIndex({ name: 'ix_staff_member_agency', columnNames: ['agencyId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_session',
        columns: [{ ...varchar('tokenHash', 64), isPrimary: true }, varchar('staffId', 36), varchar('agencyId', 36), varchar('createdAt', 30), varchar('expiresAt', 30)],
        indices: [new TableIndex({ name: 'ix_staff_session_staff', columnNames: ['staffId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_sign_in_failure',
        columns: [{ ...varchar('key', 120), isPrimary: true }, integer('count'), varchar('windowStart', 30)],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['staff_sign_in_failure', 'staff_session', 'staff_member']) await q.dropTable(table);
  }
}
