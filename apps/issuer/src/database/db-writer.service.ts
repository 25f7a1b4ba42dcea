import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { releaseUnusedWriteLock, takeWriteLockAhead } from '../../../common/src/database/sqlite-busy.js';
import { KeyedLock } from '../chain/keyed-lock.js';
import { GroupCommit } from './group-commit.js';
import { DURABLE_SYNC, walSync, type DurableSync } from './wal-sync.js';

/**
 * Every write of the issuer goes through here: one short transaction at a time per process.
 *
 * Why: TypeORM's better-sqlite3 driver shares ONE connection, so two overlapping `transaction()` calls would
 * nest as savepoints of each other and one's rollback could undo the other's writes. Serializing the (short,
 * network-free) write transactions keeps them independent. Between replicas on PostgreSQL the database itself
 * arbitrates: conditional UPDATEs (status transitions, worker leases), the audit head row, unique reservations.
 */
@Injectable()
export class DbWriter {
  private readonly lock = new KeyedLock();
  private readonly grouped = new GroupCommit((work) => this.write(work));
  /** SQLite: the WAL fsync done here instead of inside COMMIT (see {@link walSync}); none for PostgreSQL. */
  private readonly sync: DurableSync | undefined;
  private readonly sqlite: boolean;

  constructor(
    readonly dataSource: DataSource,
    /** Tests put a slow or counting sync here. @default walSync(dataSource) */
    @Optional() @Inject(DURABLE_SYNC) sync?: DurableSync,
  ) {
    this.sync = sync ?? walSync(dataSource);
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  /**
   * Runs `work` in its own transaction, after every earlier write of this process finished; resolves once the
   * transaction is durable. SQLite: the write lock is held until the WAL is synced (off the event loop), so no
   * later write — an outbox read followed by its fence, an idempotency claim — builds on a commit not yet on disk;
   * and while another process (a cluster worker) holds that lock, it is waited for off the event loop
   * (sqlite-busy.ts), so this process serves requests meanwhile.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.lock.run('db', async () => {
      const ahead = this.sqlite && (await takeWriteLockAhead(this.dataSource));
      let result: T;
      try {
        result = await this.dataSource.transaction(work);
      } finally {
        if (ahead) releaseUnusedWriteLock(this.dataSource);
      }
      await this.sync?.();
      return result;
    });
  }

  /**
   * Runs `work` in a transaction shared with other concurrent `writeGrouped` calls (one commit, one fsync for
   * all; see {@link GroupCommit}): resolves once that transaction committed. `work` runs in a savepoint of its
   * own, so its failure undoes only its own writes.
   */
  writeGrouped<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.grouped.submit(work);
  }

  /** Runs `work` (e.g. a Veramo call that saves through its own repositories) with the write lock held. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.run('db', async () => {
      const result = await work();
      await this.sync?.();
      return result;
    });
  }
}
