import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_SIZE_LOG2, GovcredError } from '../../../../libs/credentials/src/index.js';
import { IssuedCredential } from './entities/issued-credential.entity.js';

/** Status lists hold 2^17 entries (herd privacy); each credential gets a random free one. */
export const LIST_SIZE = 2 ** DEFAULT_SIZE_LOG2;

/**
 * Random, unused status indexes per agency, drawn from an in-memory set of the indexes taken (loaded from the
 * database once per agency, then kept up to date by this process) instead of one database probe per draw.
 *
 * The unique constraint (agencyId, statusIndex) stays the guard: another replica may take an index this set
 * does not know of; the insert then fails and the caller draws again ({@link markTaken} records the loser).
 * Indexes are never sequential: an index must not reveal issuance order.
 */
@Injectable()
export class StatusIndexAllocator {
  private readonly taken = new Map<string, Promise<Set<number>>>();

  constructor(private readonly dataSource: DataSource) {}

  /** Draws a random index not taken by `agencyId` and reserves it until {@link release}d. */
  async reserve(agencyId: string): Promise<number> {
    const taken = await this.load(agencyId);
    for (let i = 0; i < 64; i++) {
      const index = randomInt(0, LIST_SIZE);
      if (!taken.has(index)) {
        taken.add(index);
        return index;
      }
    }
    throw new GovcredError('conflict', 'the agency status list is (nearly) full');
  }

  /** Gives back a reserved index whose credential was not recorded. */
  release(agencyId: string, index: number): void {
    void this.taken.get(agencyId)?.then((taken) => taken.delete(index));
  }

  /** Records an index found taken in the database (by another replica). */
  markTaken(agencyId: string, index: number): void {
    void this.taken.get(agencyId)?.then((taken) => taken.add(index));
  }

  private load(agencyId: string): Promise<Set<number>> {
    let taken = this.taken.get(agencyId);
    if (!taken) {
      taken = this.dataSource
        .getRepository(IssuedCredential)
        .createQueryBuilder('c')
        .select('c.statusIndex', 'statusIndex')
        .where('c.agencyId = :agencyId', { agencyId })
        .getRawMany<{ statusIndex: number }>()
        .then((rows) => new Set(rows.map((r) => Number(r.statusIndex))));
      this.taken.set(agencyId, taken);
      // A failed load is retried by the next caller.
      taken.catch(() => this.taken.delete(agencyId));
    }
    return taken;
  }
}
