import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { integer, text, varchar } from '../../../../common/src/database/columns.js';

/**
 * Key roles: an agency's identity is owned by governance (`ownerAddress`), its credentials are signed by rotating
 * signing keys (ERC-1056 attributes, DID URL `signingKid`) and its status lists are written by a separate
 * `govcred/statusWriter` delegate. `agency_key` keeps every signing and writer key the agency ever had (the
 * private key only while in use), and a credential's record names its digest and signing key for re-issuance.
 * Nullable: agencies created before keep their single owner key (null owner) until moved over.
 */
export class KeyRoles1767100000000 implements MigrationInterface {
  name = 'KeyRoles1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns(
      'agency',
      [
        varchar('ownerAddress', 42, true),
        varchar('signingKid', 200, true),
        varchar('previousSigningKid', 200, true),
        varchar('writerKeyId', 200, true),
        varchar('writerAddress', 42, true),
      ].map((c) => new TableColumn(c)),
    );
    await q.createTable(
      new Table({
        name: 'agency_key',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('agencyId', 36),
          varchar('role', 10),
          varchar('address', 42),
          varchar('publicKeyHex', 140),
          varchar('kmsKeyId', 200, true),
          varchar('kid', 200, true),
          varchar('validTo', 30),
          varchar('activeFrom', 30, true),
          varchar('state', 12),
          varchar('txHash', 66, true),
          integer('blockNumber', true),
          text('pendingCall', true),
          varchar('reason', 20, true),
          varchar('createdAt', 30),
          varchar('revokedAt', 30, true),
        ],
        indices: [new TableIndex({ name: 'ix_agency_key_agency', columnNames: ['agencyId', 'role', 'state'] })],
      }),
    );
    await q.addColumns('issued_credential', [varchar('credentialDigest', 64, true), varchar('signingKid', 200, true)].map((c) => new TableColumn(c)));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['signingKid', 'credentialDigest']) await q.dropColumn('issued_credential', c);
    await q.dropTable('agency_key');
    for (const c of ['writerAddress', 'writerKeyId', 'previousSigningKid', 'signingKid', 'ownerAddress']) await q.dropColumn('agency', c);
  }
}
