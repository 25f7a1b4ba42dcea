import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { preparePrivateSqliteFile } from '../runtime/private-files.js';
import { SQLITE_BUSY_TIMEOUT_MS, installBeginHook, type SqliteBusyConnection } from './sqlite-busy.js';

/** Where a service keeps its data. */
export interface DatabaseSettings {
  /** `postgres://…` to use PostgreSQL; unset for the embedded SQLite file. */
  url?: string;
  /** SQLite file used when `url` is unset. */
  sqlitePath: string;
  /** Entity classes (Veramo's included, where a service stores keys). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Migration classes; run at start-up. Schema synchronization is never used. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** TypeORM table recording applied migrations, distinct per service when they share one database. */
  migrationsTableName?: string;
  /**
   * SQLite `synchronous` pragma. FULL (default) fsyncs every commit and survives power loss; NORMAL (with WAL)
   * survives a crash of the process but a power loss may undo the last commits — unless the caller syncs the
   * WAL itself after each write transaction, as the issuer's DbWriter does. @default 'FULL'
   */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** Run pending migrations when the data source starts (a cluster worker does not: its primary did). @default true */
  runMigrations?: boolean;
}

/**
 * TypeORM options for SQLite (embedded default, better-sqlite3, WAL) or PostgreSQL (`DATABASE_URL`): the same
 * entities and migrations run on both.
 */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsRun: settings.runMigrations ?? true,
    migrationsTableName: settings.migrationsTableName ?? 'migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (settings.url) {
    if (!/^postgres(ql)?:\/\//.test(settings.url)) throw new Error('DATABASE_URL must be a postgres:// URL');
    return { type: 'postgres', url: settings.url, ...common };
  }
  // Keys (issuer) and personal data (both) live in this file: owner-only, whatever the process umask.
  preparePrivateSqliteFile(settings.sqlitePath);
  return {
    type: 'better-sqlite3',
    database: settings.sqlitePath,
    // WAL lets readers go on while the outbox worker writes; FULL also survives power loss: an accepted
    // revocation must never be lost. Services whose writes may be lost on power loss choose NORMAL.
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (db: SqliteBusyConnection) => {
      installBeginHook(db);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${settings.sqliteSynchronous ?? 'FULL'}`);
      db.pragma('foreign_keys = ON');
    },
    ...common,
  };
}
