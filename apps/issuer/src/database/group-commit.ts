import type { EntityManager } from 'typeorm';
import { runSql } from './raw-sql.js';

/** Runs a function in one database transaction (DbWriter.write in the service). */
export type TransactionRunner = <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;

export interface GroupCommitOptions {
  /** How long the first item of a batch waits for others to join it, ms. @default 1 */
  windowMs?: number;
  /** Largest number of items committed together. @default 256 */
  maxBatch?: number;
}

interface Pending {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent small write transactions (one issued credential and its audit entry each) are
 * collected for about a millisecond and committed together in ONE transaction, so they share one fsync instead
 * of paying one each. Each caller still waits for the commit of the transaction holding its own writes: no
 * caller is answered before its writes are durable.
 *
 * Each item runs inside its own SAVEPOINT: an item that throws is rolled back alone (its caller gets its error)
 * and the others of the batch commit. A batch whose COMMIT fails fails every item in it (all or nothing).
 * Items run one after another in submission order, so each sees the writes of those before it (the audit
 * chain links entries in that order).
 *
 * Hand-written: TypeORM has no batching of independent transactions, and this is ~60 lines.
 */
export class GroupCommit {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly transaction: TransactionRunner,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 1;
    this.maxBatch = options.maxBatch ?? 256;
  }

  /** Runs `work` in a batch transaction; resolves with its result once that transaction has committed. */
  submit<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => void this.flush(), this.windowMs);
      }
    });
  }

  /** Commits everything queued, batch after batch (later items joined while the previous batch committed). */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.commit(batch);
    }
    this.scheduled = false;
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.transaction(async (m) => {
        outcomes.length = 0;
        for (const item of batch) {
          await runSql(m, 'SAVEPOINT group_commit_item', []);
          try {
            const value = await item.work(m);
            await runSql(m, 'RELEASE SAVEPOINT group_commit_item', []);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await runSql(m, 'ROLLBACK TO SAVEPOINT group_commit_item', []);
            await runSql(m, 'RELEASE SAVEPOINT group_commit_item', []);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // Nothing of this batch was committed.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
