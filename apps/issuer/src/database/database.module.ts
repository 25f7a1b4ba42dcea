import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Entities as VeramoEntities, migrations as veramoMigrations } from '@veramo/data-store';
import { dataSourceOptions } from '../../../common/src/database/data-source-options.js';
import { runsMigrations } from '../../../common/src/runtime/cluster.js';
import { Agency } from '../agencies/entities/agency.entity.js';
import { AgencyKey } from '../agencies/entities/agency-key.entity.js';
import { AuditEntry } from '../audit/entities/audit-entry.entity.js';
import { AuditHead } from '../audit/entities/audit-head.entity.js';
import { AuditAnchor } from '../audit-anchor/entities/audit-anchor.entity.js';
import { AuditStream } from '../audit-anchor/entities/audit-stream.entity.js';
import { BulkItem } from '../bulk/entities/bulk-item.entity.js';
import { BulkJob } from '../bulk/entities/bulk-job.entity.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { IssuedCredential } from '../credentials/entities/issued-credential.entity.js';
import { StatusIndexReservation } from '../credentials/entities/status-index-reservation.entity.js';
import { IdempotencyRecord } from '../idempotency/entities/idempotency-record.entity.js';
import { StatusChange } from '../status/entities/status-change.entity.js';
import { WorkerLease } from '../workers/entities/worker-lease.entity.js';
import { DbWriter } from './db-writer.service.js';
import { IssuerInitial1763700000000 } from './migrations/1763700000000-issuer-initial.js';
import { Oid4vci1763800000000 } from './migrations/1763800000000-oid4vci.js';
import { Replicas1764000000000 } from './migrations/1764000000000-replicas.js';
import { IssuerSetting1764400000000 } from './migrations/1764400000000-issuer-setting.js';
import { AuditAnchor1764600000000 } from './migrations/1764600000000-audit-anchor.js';
import { TitleChain1764700000000 } from './migrations/1764700000000-title-chain.js';
import { CredentialFormat1764800000000 } from './migrations/1764800000000-credential-format.js';
import { SignInFailure } from '../staff/entities/sign-in-failure.entity.js';
import { StaffMember } from '../staff/entities/staff-member.entity.js';
import { StaffSession } from '../staff/entities/staff-session.entity.js';
import { Staff1764900000000 } from './migrations/1764900000000-staff.js';
import { KeyRoles1767100000000 } from './migrations/1767100000000-key-roles.js';
import { CredentialCopies1767200000000 } from './migrations/1767200000000-credential-copies.js';
import { KeyCompromise1767500000000 } from './migrations/1767500000000-key-compromise.js';
import { Reissue1767600000000 } from './migrations/1767600000000-reissue.js';
import { BulkItemState1767700000000 } from './migrations/1767700000000-bulk-item-state.js';
import { BulkItemTaken1767800000000 } from './migrations/1767800000000-bulk-item-taken.js';
import { IssuedCredentialCopy } from '../credentials/entities/issued-credential-copy.entity.js';
import { Oid4vciAccessTokenRow, Oid4vciNonceRow, Oid4vciOfferRow } from '../oid4vci/entities/oid4vci.entities.js';

/** The issuer's entities; Veramo's (keys, identifiers) live in the same database. */
export const ISSUER_ENTITIES = [
  Agency,
  IssuedCredential,
  StatusChange,
  AuditEntry,
  BulkJob,
  BulkItem,
  Oid4vciOfferRow,
  Oid4vciNonceRow,
  Oid4vciAccessTokenRow,
  AuditHead,
  StatusIndexReservation,
  WorkerLease,
  IdempotencyRecord,
  AuditAnchor,
  AuditStream,
  StaffMember,
  StaffSession,
  SignInFailure,
  IssuedCredentialCopy,
  AgencyKey,
];
export const ISSUER_MIGRATIONS = [
  IssuerInitial1763700000000,
  Oid4vci1763800000000,
  Replicas1764000000000,
  IssuerSetting1764400000000,
  AuditAnchor1764600000000,
  TitleChain1764700000000,
  CredentialFormat1764800000000,
  Staff1764900000000,
  KeyRoles1767100000000,
  CredentialCopies1767200000000,
  KeyCompromise1767500000000,
  Reissue1767600000000,
  BulkItemState1767700000000,
  BulkItemTaken1767800000000,
];

/**
 * The issuer's TypeORM options. Migrations run when the data source starts, except in a cluster worker: the
 * primary had them run once before forking (see runClustered), so workers never race each other's migrations.
 */
export function issuerDataSourceOptions(config: IssuerConfig) {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    sqlitePath: config.ISSUER_SQLITE_PATH,
    entities: [...VeramoEntities, ...ISSUER_ENTITIES],
    migrations: [...veramoMigrations, ...ISSUER_MIGRATIONS],
    runMigrations: runsMigrations(),
    // Not weaker than FULL: DbWriter syncs the WAL after every write transaction before anyone is answered or
    // writes again, on the thread pool instead of blocking the event loop in COMMIT.
    sqliteSynchronous: 'NORMAL',
  });
}

/** TypeORM (SQLite file by default, PostgreSQL with DATABASE_URL), migrations run at start. */
@Global()
@Module({})
export class DatabaseModule {
  static forConfig(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ISSUER_CONFIG],
          useFactory: (config: IssuerConfig) => issuerDataSourceOptions(config),
        }),
      ],
      providers: [DbWriter],
      exports: [DbWriter],
    };
  }
}
