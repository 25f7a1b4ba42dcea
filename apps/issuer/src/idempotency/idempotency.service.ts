import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import canonicalizeModule from 'canonicalize';
import { LessThan, type EntityManager } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { DbWriter } from '../database/db-writer.service.js';
import { IdempotencyRecord } from './entities/idempotency-record.entity.js';

// canonicalize is CommonJS (module.exports = function) while its typings declare an ES default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** The request header (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Bounded and plain: a UUID, a ULID or a client's own token fits; no spaces, quotes or commas. */
const KEY_PATTERN = /^[A-Za-z0-9._~:-]{1,255}$/;
/** An attempt still in progress after this long is taken to have died with its replica: a retry may take over. */
const IN_FLIGHT_MS = 60_000;
/** Expired answers are purged at most this often per process. */
const PURGE_EVERY_MS = 60_000;

/** Stores the answer inside the transaction that records the work, so both commit or neither does. */
export type StoreAnswer<T> = (m: EntityManager, body: T) => Promise<void>;

/** An answer, first or replayed. */
export interface Answer<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** What a request is, for comparing a retry with the first request under the same key. */
export interface IdempotentRequest {
  /** e.g. `POST /credentials/issue`: the same key on another route is another request. */
  route: string;
  body: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `Idempotency-Key` for issuance (draft-ietf-httpapi-idempotency-key-header): per agency, a retry — after a
 * lost answer, a crash, or sent to another replica — gets the first answer (same status, same body: the same
 * credential) instead of a second credential.
 *
 * The key is claimed in the database before the work (insert-or-ignore on (agency, key)), and the answer is
 * stored by the work inside the transaction that records the credential: a credential never exists without
 * its stored answer. A retry while the first is in flight is answered 409 `idempotency_key_in_progress` at
 * once (no held connection; the client retries); one arriving after the first attempt died (in flight for
 * longer than a minute) takes the key over, and the dead attempt, should it wake up, can no longer store an
 * answer (its transaction is rolled back). A failed attempt gives the key up, so a retry runs again. Stored
 * answers hold the signed credential: they are purged after IDEMPOTENCY_TTL_MS.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');
  private lastPurge = 0;

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly db: DbWriter,
  ) {}

  /**
   * Runs `work` once per (agency, key). Without a key, simply runs it.
   * @throws GovcredError invalid_request (malformed key), idempotency_key_reused, idempotency_key_in_progress
   */
  async run<T>(agencyId: string, key: string | undefined, request: IdempotentRequest, status: number, work: (store: StoreAnswer<T>) => Promise<T>): Promise<Answer<T>> {
    if (key === undefined) return { status, body: await work(async () => undefined), replayed: false };
    if (!KEY_PATTERN.test(key)) {
      throw new GovcredError('invalid_request', `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 characters of A-Z a-z 0-9 . _ ~ : -`);
    }
    await this.purgeExpired();
    const requestHash = createHash('sha256').update(canonicalize(request)!).digest('hex');
    const claim = await this.claim(agencyId, key, requestHash);
    if (claim.kind === 'replay') return { status: claim.status, body: claim.body as T, replayed: true };
    const attempt = claim.attempt;
    const store: StoreAnswer<T> = async (m, body) => {
      const stored = await m
        .getRepository(IdempotencyRecord)
        .update({ agencyId, key, attempt, state: 'in_progress' }, { state: 'done', status, body: JSON.stringify(body) });
      if (!stored.affected) throw new GovcredError('idempotency_key_in_progress', 'another attempt took over this Idempotency-Key');
    };
    try {
      return { status, body: await work(store), replayed: false };
    } catch (error) {
      await this.db
        .write((m) => m.getRepository(IdempotencyRecord).delete({ agencyId, key, attempt, state: 'in_progress' }))
        .catch((e: unknown) => this.logger.warn(`could not give up an Idempotency-Key: ${e instanceof Error ? e.message : String(e)}`));
      throw error;
    }
  }

  /** Deletes stored answers past their retention. */
  async purgeExpired(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.db.write((m) => m.getRepository(IdempotencyRecord).delete({ expiresAt: LessThan(iso(now)) }));
  }

  /** Claims the key for a new attempt, or finds the first answer, or refuses. */
  private claim(agencyId: string, key: string, requestHash: string): Promise<{ kind: 'fresh'; attempt: string } | { kind: 'replay'; status: number; body: unknown }> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(IdempotencyRecord);
      const now = Date.now();
      const attempt = randomUUID();
      const fresh = { requestHash, state: 'in_progress' as const, attempt, lockedUntil: iso(now + IN_FLIGHT_MS), status: null, body: null, createdAt: iso(now), expiresAt: iso(now + this.config.IDEMPOTENCY_TTL_MS) };
      await repo.createQueryBuilder().insert().values({ agencyId, key, ...fresh }).orIgnore().execute();
      const row = await repo.findOneByOrFail({ agencyId, key });
      if (row.attempt === attempt) return { kind: 'fresh', attempt };
      // Past retention the record is gone as far as clients can tell, purged or not: the key starts afresh.
      if (row.expiresAt < iso(now)) {
        const renewed = await repo.update({ agencyId, key, attempt: row.attempt }, fresh);
        if (renewed.affected) return { kind: 'fresh', attempt };
        throw new GovcredError('idempotency_key_in_progress', 'a request with this Idempotency-Key is being processed');
      }
      if (row.requestHash !== requestHash) {
        throw new GovcredError('idempotency_key_reused', 'this Idempotency-Key was used with a different request');
      }
      if (row.state === 'done') return { kind: 'replay', status: Number(row.status), body: JSON.parse(row.body ?? 'null') as unknown };
      if (row.lockedUntil < iso(now)) {
        const taken = await repo.update({ agencyId, key, attempt: row.attempt, state: 'in_progress' }, { attempt, lockedUntil: fresh.lockedUntil });
        if (taken.affected) return { kind: 'fresh', attempt };
      }
      throw new GovcredError('idempotency_key_in_progress', 'a request with this Idempotency-Key is being processed: retry later');
    });
  }
}
