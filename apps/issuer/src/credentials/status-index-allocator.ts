import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { In } from 'typeorm';
import { DEFAULT_SIZE_LOG2, GovcredError } from '../../../../libs/credentials/src/index.js';
import { DbWriter } from '../database/db-writer.service.js';
import { StatusIndexReservation } from './entities/status-index-reservation.entity.js';

/** Status lists hold 2^17 entries (herd privacy); each credential gets a random free one. */
export const LIST_SIZE = 2 ** DEFAULT_SIZE_LOG2;

/** Candidates reserved per round trip when few callers wait. */
const BATCH = 64;
/** Most candidates per round trip (4 parameters each: well under both drivers' limits). */
const MAX_BATCH = 1000;

/** Options of {@link StatusIndexAllocator} (tests use a small list to reach "nearly full" quickly). */
export interface AllocatorOptions {
  /** @default LIST_SIZE */
  listSize?: number;
}
export const ALLOCATOR_OPTIONS = Symbol('ALLOCATOR_OPTIONS');

/** Counters for measuring contention between replicas. */
export interface AllocatorStats {
  /** Round trips that reserved candidates. */
  batches: number;
  /** Candidates offered to the database. */
  candidates: number;
  /** Candidates another replica held already (lost before anything was signed). */
  clashes: number;
}

interface AgencyIndexes {
  /** Every index known to be taken (reserved or used, by any replica). */
  known: Set<number>;
  /** Highest `status_index.seq` read so far: the next sync reads only newer rows. */
  lastSeq: number;
  /** Reserved in the database by this process, not handed out yet. */
  pool: number[];
  refill?: Promise<void>;
  waiters: number;
}

/**
 * Random, unused status indexes per agency, safe with any number of replicas on one database.
 *
 * An index is RESERVED in the database (`status_index`, unique per agency) before a credential is signed with
 * it, in batches: random candidates drawn from the indexes not known to be taken are inserted with "on
 * conflict do nothing", and this process keeps those it won. A candidate another replica holds is lost there,
 * before any signing: no credential is ever signed twice, and nothing waits on a unique violation. Each batch
 * first reads the reservations other replicas made since the previous one (by `seq`), so the local picture
 * stays close to the database and clashes stay rare even on a nearly full list.
 *
 * Indexes stay uniformly random over the free ones (never sequential: an index must not reveal issuance order);
 * once half the list is taken, candidates are sampled from an explicit list of the free indexes instead of by
 * rejection, so a nearly full list costs no retries.
 */
@Injectable()
export class StatusIndexAllocator implements BeforeApplicationShutdown {
  private readonly logger = new Logger('StatusIndexAllocator');
  private readonly agencies = new Map<string, AgencyIndexes>();
  private readonly listSize: number;
  private readonly counters: AllocatorStats = { batches: 0, candidates: 0, clashes: 0 };

  constructor(
    private readonly db: DbWriter,
    @Optional() @Inject(ALLOCATOR_OPTIONS) options?: AllocatorOptions,
  ) {
    this.listSize = options?.listSize ?? LIST_SIZE;
  }

  /** Draws a random index no replica holds for `agencyId`; it stays reserved (used or {@link release}d). */
  async reserve(agencyId: string): Promise<number> {
    return (await this.reserveMany(agencyId, 1))[0];
  }

  /** `count` indexes at once (a bulk chunk). */
  async reserveMany(agencyId: string, count: number): Promise<number[]> {
    const state = this.state(agencyId);
    const taken: number[] = [];
    state.waiters += count;
    try {
      while (taken.length < count) {
        const index = state.pool.pop();
        if (index !== undefined) {
          taken.push(index);
          state.waiters--;
          continue;
        }
        state.refill ??= this.refill(agencyId, state).finally(() => (state.refill = undefined));
        await state.refill;
      }
      return taken;
    } catch (error) {
      state.pool.push(...taken);
      throw error;
    } finally {
      state.waiters -= count - taken.length;
    }
  }

  /** Gives back reserved indexes whose credentials were not signed or not delivered. Never throws. */
  async release(agencyId: string, indexes: number[]): Promise<void> {
    if (indexes.length === 0) return;
    try {
      await this.db.write((m) => m.getRepository(StatusIndexReservation).delete({ agencyId, statusIndex: In(indexes) }));
      const state = this.agencies.get(agencyId);
      for (const index of indexes) state?.known.delete(index);
    } catch (error) {
      // Merely unused: the index stays taken, never reused.
      this.logger.warn(`could not release status indexes: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Contention so far (for measurements). */
  stats(): AllocatorStats {
    return { ...this.counters };
  }

  /** Hands the unused reservations back, so a restart does not leave holes in the lists. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const [agencyId, state] of this.agencies) await this.release(agencyId, state.pool.splice(0));
  }

  private state(agencyId: string): AgencyIndexes {
    let state = this.agencies.get(agencyId);
    if (!state) {
      state = { known: new Set(), lastSeq: 0, pool: [], waiters: 0 };
      this.agencies.set(agencyId, state);
    }
    return state;
  }

  /** One round trip: learn others' reservations, offer fresh candidates, keep the ones won. */
  private async refill(agencyId: string, state: AgencyIndexes): Promise<void> {
    const batch = randomUUID();
    const won = await this.db.write(async (m) => {
      const repo = m.getRepository(StatusIndexReservation);
      const fresh = await repo
        .createQueryBuilder('r')
        .select('r.seq', 'seq')
        .addSelect('r.statusIndex', 'statusIndex')
        .where('r.agencyId = :agencyId AND r.seq > :lastSeq', { agencyId, lastSeq: state.lastSeq })
        .getRawMany<{ seq: number; statusIndex: number }>();
      for (const row of fresh) {
        state.known.add(Number(row.statusIndex));
        state.lastSeq = Math.max(state.lastSeq, Number(row.seq));
      }
      // Reserve ahead only while the list has room to spare: on a nearly full list a pool kept here would
      // starve the other replicas, so only what callers wait for is taken.
      const ahead = Math.min(BATCH, Math.floor((this.listSize - state.known.size) / 64));
      const candidates = draw(state.known, Math.min(Math.max(ahead, state.waiters, 1), MAX_BATCH), this.listSize);
      if (candidates.length === 0) throw new GovcredError('conflict', 'the agency status list is full');
      // Ascending order: two replicas inserting overlapping candidates lock them in the same order (no deadlock).
      candidates.sort((a, b) => a - b);
      const reservedAt = new Date().toISOString();
      await repo
        .createQueryBuilder()
        .insert()
        .values(candidates.map((statusIndex) => ({ agencyId, statusIndex, batch, reservedAt })))
        .orIgnore()
        .execute();
      const rows = await repo.find({ select: { statusIndex: true, batch: true }, where: { agencyId, statusIndex: In(candidates) } });
      this.counters.batches++;
      this.counters.candidates += candidates.length;
      const mine: number[] = [];
      for (const row of rows) {
        state.known.add(row.statusIndex);
        if (row.batch === batch) mine.push(row.statusIndex);
      }
      this.counters.clashes += candidates.length - mine.length;
      return mine;
    });
    // Shuffled: the pool hands indexes out in random order, not ascending.
    for (let i = won.length - 1; i > 0; i--) {
      const j = randomInt(0, i + 1);
      [won[i], won[j]] = [won[j], won[i]];
    }
    state.pool.push(...won);
  }
}

/**
 * Up to `count` distinct random indexes in [0, size) not in `taken`, uniform over the free ones: by rejection
 * while the list is at most half full, else from the explicit list of free indexes (no wasted draws).
 */
export function draw(taken: ReadonlySet<number>, count: number, size: number): number[] {
  const free = size - taken.size;
  const n = Math.min(count, free);
  if (n <= 0) return [];
  if (taken.size <= size / 2) {
    const picked = new Set<number>();
    while (picked.size < n) {
      const index = randomInt(0, size);
      if (!taken.has(index)) picked.add(index);
    }
    return [...picked];
  }
  const pool: number[] = [];
  for (let i = 0; i < size; i++) if (!taken.has(i)) pool.push(i);
  for (let i = 0; i < n; i++) {
    const j = randomInt(i, pool.length);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}
