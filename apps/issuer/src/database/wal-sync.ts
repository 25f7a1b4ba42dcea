import { open } from 'node:fs/promises';
import type { DataSource } from 'typeorm';

/** Makes a SQLite file's committed transactions durable: resolves once they are on disk. */
export type DurableSync = () => Promise<void>;
/** Injection token of the {@link DurableSync} DbWriter uses (tests only; by default {@link walSync}). */
export const DURABLE_SYNC = Symbol('DURABLE_SYNC');

/**
 * fdatasync of a SQLite database's write-ahead log, on libuv's thread pool (`FileHandle.datasync`), for a
 * connection opened with `synchronous = NORMAL`: what `synchronous = FULL` does inside every COMMIT, but without
 * blocking the event loop. better-sqlite3 is synchronous, so with FULL each group commit stopped the whole
 * process for the fsync (~10 ms on the benchmark machine, 40 % of an issuance run's wall time).
 *
 * Why it is as durable: in WAL mode a transaction is committed once its frames, commit frame included, are in
 * the WAL file; syncing that file makes them survive a power loss. NORMAL still syncs the WAL before each
 * checkpoint, the database after it and the WAL header when the log restarts, so no frame is overwritten
 * before it is durable. The file is opened per sync, so a WAL recreated since is the one synced.
 * @returns undefined for PostgreSQL and in-memory SQLite (nothing to sync here).
 */
export function walSync(dataSource: DataSource): DurableSync | undefined {
  const options = dataSource.options;
  if (options.type !== 'better-sqlite3' || typeof options.database !== 'string' || options.database === ':memory:') return undefined;
  const database = options.database;
  return async () => {
    let handle;
    try {
      handle = await open(`${database}-wal`, 'r');
    } catch (error) {
      // No log (never in WAL mode while the connection is open): then the database file holds every commit.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      handle = await open(database, 'r');
    }
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };
}
