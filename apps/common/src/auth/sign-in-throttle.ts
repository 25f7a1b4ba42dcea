import { LessThanOrEqual, type DataSource, type EntityManager, type EntityTarget } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';

/** Limits of {@link SignInThrottle}. */
export interface ThrottleLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

/**
 * A row of a service's sign-in failure table: failed sign-ins per key (`account:<username>` or `ip:<address>`)
 * in the current window, with the columns `key` (primary), `count` and `windowStart` (ISO).
 */
export interface SignInFailureRow {
  key: string;
  count: number;
  windowStart: string;
}

/** Where the counts live: the service's database, written the way the service writes (its own serialisation). */
export interface ThrottleStore {
  dataSource: DataSource;
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * Counts failed sign-ins per account and per client address in the database (so the limits hold across
 * replicas and restarts). A key at its limit is refused before the password is even checked, until its
 * window passes; a successful sign-in clears the account's count (not the address's).
 */
export class SignInThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly table: EntityTarget<SignInFailureRow>,
    private readonly limits: ThrottleLimits,
  ) {}

  static accountKey(username: string): string {
    return `account:${username}`.slice(0, 120);
  }

  static ipKey(ip: string): string {
    return `ip:${ip}`.slice(0, 120);
  }

  /** @throws GovcredError too_many_attempts (429) when either key is at its limit. */
  async check(accountKey: string, ipKey: string, now = new Date()): Promise<void> {
    for (const [key, limit] of [[accountKey, this.limits.perAccount], [ipKey, this.limits.perIp]] as const) {
      const row = await this.store.dataSource.getRepository(this.table).findOneBy({ key });
      if (row && this.inWindow(row, now) && row.count >= limit) {
        const retryAfter = Math.ceil((Date.parse(row.windowStart) + this.limits.windowMs - now.getTime()) / 1000);
        throw new GovcredError('too_many_attempts', 'too many failed sign-ins: wait and try again', { retryAfterSeconds: Math.max(1, retryAfter) });
      }
    }
  }

  /**
   * Counts one failure against both keys (a window that passed starts again at 1). Every statement is correct on
   * its own, without a transaction: rows of passed windows go first, a missing row is inserted at 0 unless another
   * replica just did (insert-or-ignore), and the increment is done in SQL, so replicas on PostgreSQL count every
   * failure and never collide on the key.
   */
  async fail(accountKey: string, ipKey: string, now = new Date()): Promise<void> {
    await this.store.write(async (m) => {
      const repo = m.getRepository(this.table);
      // Rows whose window passed count nothing any more: without this, guessed usernames would pile up.
      await repo.delete({ windowStart: LessThanOrEqual(new Date(now.getTime() - this.limits.windowMs).toISOString()) });
      for (const key of [accountKey, ipKey]) {
        await repo.createQueryBuilder().insert().values({ key, count: 0, windowStart: now.toISOString() }).orIgnore().execute();
        await repo.createQueryBuilder().update().set({ count: () => '"count" + 1' }).where('"key" = :key', { key }).execute();
      }
    });
  }

  async succeed(accountKey: string): Promise<void> {
    await this.store.write((m) => m.getRepository(this.table).delete({ key: accountKey }));
  }

  private inWindow(row: SignInFailureRow, now: Date): boolean {
    return now.getTime() - Date.parse(row.windowStart) < this.limits.windowMs;
  }
}
