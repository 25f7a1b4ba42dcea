import { LessThan } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { DbWriter } from '../database/db-writer.service.js';
import { SignInFailure } from './entities/sign-in-failure.entity.js';

/** Limits of {@link SignInThrottle}. */
export interface ThrottleLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

/**
 * Counts failed sign-ins per account and per client address in the database (so the limits hold across
 * replicas and restarts). A key at its limit is refused before the password is even checked, until its
 * window passes; a successful sign-in clears the account's count (not the address's).
 */
export class SignInThrottle {
  constructor(
    private readonly db: DbWriter,
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
      const row = await this.db.dataSource.getRepository(SignInFailure).findOneBy({ key });
      if (row && this.inWindow(row, now) && row.count >= limit) {
        const retryAfter = Math.ceil((Date.parse(row.windowStart) + this.limits.windowMs - now.getTime()) / 1000);
        throw new GovcredError('too_many_attempts', 'too many failed sign-ins: wait and try again', { retryAfterSeconds: Math.max(1, retryAfter) });
      }
    }
  }

  /** Counts one failure against both keys (a window that passed starts again at 1). */
  async fail(accountKey: string, ipKey: string, now = new Date()): Promise<void> {
    await this.db.write(async (m) => {
      const repo = m.getRepository(SignInFailure);
      // Rows whose window passed count nothing any more: without this, guessed usernames would pile up.
      await repo.delete({ windowStart: LessThan(new Date(now.getTime() - this.limits.windowMs).toISOString()) });
      for (const key of [accountKey, ipKey]) {
        const row = await repo.findOneBy({ key });
        if (!row) await repo.insert({ key, count: 1, windowStart: now.toISOString() });
        else if (!this.inWindow(row, now)) await repo.update({ key }, { count: 1, windowStart: now.toISOString() });
        // An increment in SQL, not read-then-write: replicas on PostgreSQL count every failure.
        else await repo.createQueryBuilder().update().set({ count: () => '"count" + 1' }).where('"key" = :key', { key }).execute();
      }
    });
  }

  async succeed(accountKey: string): Promise<void> {
    await this.db.write((m) => m.getRepository(SignInFailure).delete({ key: accountKey }));
  }

  private inWindow(row: SignInFailure, now: Date): boolean {
    return now.getTime() - Date.parse(row.windowStart) < this.limits.windowMs;
  }
}
