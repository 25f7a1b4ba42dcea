import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { DbWriter } from '../database/db-writer.service.js';
import { WorkerLease as LeaseRow } from './entities/worker-lease.entity.js';

/** Thrown by {@link WorkerLease.fence} when another replica took the lease: the caller's transaction rolls back. */
export class LeaseLostError extends Error {
  constructor(name: string) {
    super(`the ${name} lease was taken over by another replica`);
  }
}

export interface WorkerLeaseOptions {
  /** How long the lease lasts without renewal. */
  durationMs: number;
  /** Renew at most this often when nothing else renews it (writes do, through {@link WorkerLease.fence}). */
  renewMs: number;
  /** The clock (ms). @default Date.now */
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A named lease in the database (`worker_lease`) so that, of all replicas running a worker, exactly one does
 * the work at a time; the others poll and take over when the holder stops renewing (it died) or releases the
 * lease (it shut down).
 *
 * Taking and renewing are conditional UPDATEs, so the database decides between replicas. Each take bumps
 * `epoch`, the fencing token: the holder calls {@link fence} inside every transaction that writes the
 * worker's results, which renews the lease only if holder and epoch are still its own (else the transaction
 * rolls back). On PostgreSQL that UPDATE also holds the lease row until commit, so a take-over cannot slip in
 * between the check and the commit. Expiry is judged by the taking replica's clock: replicas' clocks must
 * agree to well within the lease duration (NTP).
 */
export class WorkerLease {
  /** This process, as holder. */
  readonly holder = randomUUID();
  private epoch: number | undefined;
  private renewedAt = 0;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly db: DbWriter,
    private readonly options: WorkerLeaseOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Whether this process held the lease at its last contact with the database. */
  get held(): boolean {
    return this.epoch !== undefined;
  }

  /**
   * Takes the lease if it is free or expired, or renews it if this process holds it (skipped when renewed
   * within `renewMs`). True when this process holds it afterwards.
   */
  async acquire(): Promise<boolean> {
    if (this.epoch !== undefined && this.now() - this.renewedAt < this.options.renewMs) return true;
    return this.db.write(async (m) => {
      if (this.epoch !== undefined && (await this.renew(m))) return true;
      this.epoch = undefined;
      await m.getRepository(LeaseRow).createQueryBuilder().insert().values({ name: this.name, holder: null, epoch: 0, expiresAt: iso(0) }).orIgnore().execute();
      const now = this.now();
      const taken = await m
        .getRepository(LeaseRow)
        .createQueryBuilder()
        .update()
        .set({ holder: this.holder, epoch: () => '"epoch" + 1', expiresAt: iso(now + this.options.durationMs) })
        .where('"name" = :name AND ("holder" IS NULL OR "expiresAt" < :now)', { name: this.name, now: iso(now) })
        .execute();
      if (!taken.affected) return false;
      const row = await m.getRepository(LeaseRow).findOneByOrFail({ name: this.name });
      this.epoch = Number(row.epoch);
      this.renewedAt = now;
      return true;
    });
  }

  /**
   * Inside the caller's write transaction: renews the lease if this process still holds it, else throws
   * {@link LeaseLostError} so nothing of the transaction is kept.
   */
  async fence(m: EntityManager): Promise<void> {
    if (this.epoch === undefined || !(await this.renew(m))) {
      this.epoch = undefined;
      throw new LeaseLostError(this.name);
    }
  }

  /** Gives the lease up (at shutdown), so another replica takes over at once instead of after expiry. */
  async release(): Promise<void> {
    if (this.epoch === undefined) return;
    const epoch = this.epoch;
    this.epoch = undefined;
    await this.db.write((m) =>
      m.getRepository(LeaseRow).update({ name: this.name, holder: this.holder, epoch }, { holder: null, expiresAt: iso(0) }),
    );
  }

  private async renew(m: EntityManager): Promise<boolean> {
    const now = this.now();
    const renewed = await m
      .getRepository(LeaseRow)
      .update({ name: this.name, holder: this.holder, epoch: this.epoch }, { expiresAt: iso(now + this.options.durationMs) });
    if (renewed.affected) this.renewedAt = now;
    return Boolean(renewed.affected);
  }
}
