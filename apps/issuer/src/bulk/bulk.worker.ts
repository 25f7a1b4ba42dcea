import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import type { CredentialRequest, IssueOptions } from '../credentials/dto/issue-credential.dto.js';
import { IssuanceService, type PreparedCredential, type Signed } from '../credentials/issuance.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { runSql, selectSql } from '../database/raw-sql.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { CREDENTIAL_REQUEST_SCHEMA, ISSUE_OPTIONS_SCHEMA } from './dto/bulk-issue.dto.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import type { BulkItem } from './entities/bulk-item.entity.js';
import { WorkerLoop } from '../../../common/src/runtime/worker-loop.js';
import { StatusIndexAllocator } from '../credentials/status-index-allocator.js';
import { BulkService } from './bulk.service.js';

/** Items taken, and recorded, per transaction (signed between the two, outside both). */
const CHUNK = 50;
/** Longest a chunk waits, between two items, for single issuances in flight in its process to end. */
const FOREGROUND_FIRST_MS = 20;
/** Unfinished jobs a step looks at, oldest first, for items to take. */
const JOBS_LOOKED_AT = 16;
/** A process idle for want of jobs purges expired results at most this often. */
const PURGE_EVERY_MS = 60_000;
const validateRequest = bodyValidator(CREDENTIAL_REQUEST_SCHEMA);
const validateOptions = bodyValidator(ISSUE_OPTIONS_SCHEMA);
/**
 * The worker's statements, hand-written (as the issuance path's, see runSql): TypeORM's repository `find` and
 * `update` cost more CPU than the statements themselves (a tenth of the bulk worker's time).
 */
export const UNFINISHED_JOBS = `SELECT "id", "agencyId" FROM "bulk_job" WHERE "state" IN ('queued', 'running') ORDER BY "createdAt" LIMIT ${JOBS_LOOKED_AT}`;
/**
 * The next `state` items of a job in position order (`?` job, state, then the condition's parameters). Ordered
 * by the whole index (jobId, state, position), the same order here as by position alone: ordered by position,
 * PostgreSQL's planner walked the primary key (jobId, position) from the job's first item and filtered by state,
 * reading every item done before the queued ones at every take (seconds per take late in a 5,000-item job).
 */
const nextItems = (condition: string, postgres: boolean) =>
  `SELECT "position" FROM "bulk_item" WHERE "jobId" = ? AND "state" = ?${condition} ORDER BY "jobId", "state", "position" LIMIT ${CHUNK}${postgres ? ' FOR UPDATE SKIP LOCKED' : ''}`;
/** Queued items (through the index (jobId, state, position), see bulk.test.ts). */
export const NEXT_ITEMS = nextItems('', false);
/**
 * Takes a chunk: the items the sub-select picks (parameters: the token, the time, the job and state, then the
 * sub-select's own). PostgreSQL: the sub-select locks them (`FOR UPDATE`, which re-checks a row another
 * transaction changed meanwhile), and `SKIP LOCKED` makes replicas taking at once take different items instead of
 * waiting for each other's rows; it runs once, as an array (as the sub-select of `IN`, the planner ran it again
 * for each of the job's items when its statistics said the job was small: 19 s for one take late in a 5,000-item
 * job), and the update finds the items it names through the index. SQLite runs such a sub-select once; its
 * write transactions run one at a time.
 */
export const takeItems = (condition: string, postgres: boolean) =>
  `UPDATE "bulk_item" SET "state" = 'taken', "takenBy" = ?, "takenUntil" = ? WHERE "jobId" = ? AND "state" = ? AND "position" ` +
  (postgres ? `= ANY(ARRAY(${nextItems(condition, true)}))` : `IN (${nextItems(condition, false)})`) +
  ` RETURNING "position", "request", "options"`;
/**
 * The fence of a chunk's transaction: its items, still its own (and on PostgreSQL locked until commit). Both
 * statements find the chunk's items by the primary key, between its first and last position (a range of about a
 * chunk), not among all the job's items.
 */
const KEEP_TAKEN = `UPDATE "bulk_item" SET "takenUntil" = ? WHERE "jobId" = ? AND "position" BETWEEN ? AND ? AND "takenBy" = ? AND "state" = 'taken'`;
const GIVE_BACK = `UPDATE "bulk_item" SET "state" = 'queued', "takenBy" = NULL, "takenUntil" = NULL WHERE "jobId" = ? AND "position" BETWEEN ? AND ? AND "takenBy" = ? AND "state" = 'taken'`;
/** A processed item keeps its result and drops its request (claims). */
const ITEM_ISSUED = `UPDATE "bulk_item" SET "state" = 'issued', "jwt" = ?, "credentialId" = ?, "request" = NULL, "options" = NULL, "takenBy" = NULL, "takenUntil" = NULL WHERE "jobId" = ? AND "position" = ?`;
const ITEM_FAILED = `UPDATE "bulk_item" SET "state" = 'failed', "errorCode" = ?, "errorDetails" = ?, "request" = NULL, "options" = NULL, "takenBy" = NULL, "takenUntil" = NULL WHERE "jobId" = ? AND "position" = ?`;
/**
 * A chunk's counts added to its job's, whichever process adds them and in whatever order (the right-hand sides
 * read the row as it was; PostgreSQL re-reads it after waiting for another chunk's update of it): the job is
 * done once its counts reach its total. Parameters: succeeded, failed, their sum twice, the time, the job.
 */
const COUNT_CHUNK = `UPDATE "bulk_job" SET "succeeded" = "succeeded" + ?, "failed" = "failed" + ?,
  "state" = CASE WHEN "succeeded" + "failed" + ? >= "total" THEN 'done' ELSE 'running' END,
  "finishedAt" = CASE WHEN "succeeded" + "failed" + ? >= "total" THEN ? ELSE "finishedAt" END WHERE "id" = ?`;

/** Items one process took (under `token`, for WORKER_LEASE_MS). */
export interface TakenChunk {
  jobId: string;
  agencyId: string;
  token: string;
  items: Array<Pick<BulkItem, 'position' | 'request' | 'options'>>;
}
/** The first and last position of a chunk's items (taken in position order). */
const span = (chunk: TakenChunk): [number, number] => [chunk.items[0].position, chunk.items[chunk.items.length - 1].position];
/** One item of a chunk after its checks: signed, or refused with its unused status index. */
type ItemOutcome = { position: number } & ({ prepared: PreparedCredential; signed: Signed } | { index: number; error: GovcredError });
/** A chunk's items checked and signed by its agency's key, ready to record. */
export interface PreparedChunk {
  agency: Agency;
  outcomes: ItemOutcome[];
}

/** Thrown when a chunk's items were taken over by another process (this one took too long): nothing of it is kept. */
export class ChunkLostError extends Error {
  constructor() {
    super('the bulk chunk was taken over by another process');
  }
}

/**
 * Processes bulk jobs in the background, oldest first, in every process that runs the workers (cluster workers
 * and replicas alike: an agency's job of 10,000 uses every core). A step takes a chunk of items in one short
 * transaction (the database decides which process gets which items), checks and signs them outside any
 * transaction, then records them — credentials, audit entries, results, the job's counts — in another, so a
 * restart resumes exactly where it stopped. The second transaction first checks the items are still the chunk's
 * own (fencing): items taken longer than WORKER_LEASE_MS ago (their process died or stalled) are taken over by
 * another process, and the late one then commits nothing. A job's items complete in chunks, not strictly in
 * position order.
 */
@Injectable()
export class BulkWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BulkWorker');
  /** What this process did (tests and logs): chunks and items it recorded, chunks it lost to a take-over. */
  readonly stats = { chunks: 0, items: 0, lost: 0 };
  private purgedAt = 0;
  private readonly loop = new WorkerLoop(async () => {
    try {
      return (await this.step()) ? 0 : 250;
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error));
      return 1000;
    }
  });

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly issuance: IssuanceService,
    private readonly indexes: StatusIndexAllocator,
    private readonly agencies: AgenciesService,
    private readonly bulk: BulkService,
  ) {
    // A job stored here starts now, not after the idle wait (the other processes find it at their next look).
    bulk.onCreated(() => this.loop.wake());
  }

  onApplicationBootstrap(): void {
    if (this.config.ISSUER_WORKERS) this.loop.start();
  }

  /** Before the database closes: finish the running chunk (nothing stays taken by this process). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Processes one chunk; true when there may be more work right away. */
  async step(): Promise<boolean> {
    const chunk = await this.take();
    if (!chunk) {
      if (Date.now() - this.purgedAt >= PURGE_EVERY_MS) {
        this.purgedAt = Date.now();
        await this.bulk.purgeExpired(this.config.BULK_RESULT_TTL_MS);
      }
      return false;
    }
    try {
      await this.record(chunk, await this.prepare(chunk));
    } catch (error) {
      if (error instanceof ChunkLostError) {
        this.stats.lost++;
        this.logger.warn(`${error.message} (job ${chunk.jobId}): its items are recorded by the other`);
        return true;
      }
      // Not a refusal of an item (those are recorded): the chunk goes back to the queue for a later step.
      await this.db.write((m) => runSql(m, GIVE_BACK, [chunk.jobId, ...span(chunk), chunk.token])).catch(() => undefined);
      throw error;
    }
    return true;
  }

  /**
   * Takes the next chunk of the oldest unfinished job that has items left: first items whose taker's time ran
   * out, then queued ones. Undefined when no job has items to take.
   */
  async take(): Promise<TakenChunk | undefined> {
    const jobs = await selectSql<{ id: string; agencyId: string }>(this.dataSource, UNFINISHED_JOBS, []);
    if (jobs.length === 0) return undefined;
    const postgres = this.dataSource.options.type === 'postgres';
    const token = randomUUID();
    return this.db.write(async (m) => {
      const now = Date.now();
      const until = new Date(now + this.config.WORKER_LEASE_MS).toISOString();
      for (const job of jobs) {
        let taken = await runSql<TakenChunk['items'][number]>(m, takeItems(' AND "takenUntil" < ?', postgres), [token, until, job.id, 'taken', job.id, 'taken', new Date(now).toISOString()]);
        if (taken.rows.length === 0) taken = await runSql(m, takeItems('', postgres), [token, until, job.id, 'queued', job.id, 'queued']);
        if (taken.rows.length > 0) return { jobId: job.id, agencyId: job.agencyId, token, items: taken.rows.sort((a, b) => a.position - b.position) };
      }
      return undefined;
    });
  }

  /**
   * Checks and signs a chunk's items, outside any transaction: the one that records them then holds SQLite's
   * write lock and the audit head's row lock (PostgreSQL: every replica's issuance waits for it) for its
   * statements only. An error other than a refusal of an item is thrown (the chunk is given back).
   */
  async prepare(chunk: TakenChunk): Promise<PreparedChunk> {
    const agency = await this.agencies.signingKey(chunk.agencyId);
    const reserved = await this.indexes.reserveMany(agency.id, chunk.items.length);
    const outcomes: ItemOutcome[] = [];
    for (const [i, item] of chunk.items.entries()) {
      // Every process serves HTTP beside its bulk chunks: between two items, single issuances in flight here go
      // first (a chunk's signatures back to back held a clerk's issuance for ~30 ms).
      if (i > 0) await this.issuance.foreground.turn(FOREGROUND_FIRST_MS);
      try {
        const request = validateRequest(JSON.parse(item.request ?? 'null')) as CredentialRequest;
        const options = item.options ? (validateOptions(JSON.parse(item.options)) as IssueOptions) : undefined;
        const prepared = this.issuance.prepare(agency, request, options);
        outcomes.push({ position: item.position, prepared, signed: await this.issuance.sign(agency, prepared, reserved[i]) });
      } catch (error) {
        if (!(error instanceof GovcredError)) throw error;
        outcomes.push({ position: item.position, index: reserved[i], error });
      }
    }
    return { agency, outcomes };
  }

  /**
   * Records a chunk in one transaction, if its items are still its own.
   * @throws ChunkLostError when another process took them over (nothing of this chunk is kept)
   */
  async record(chunk: TakenChunk, { agency, outcomes }: PreparedChunk): Promise<void> {
    await this.db.write(async (m) => {
      const until = new Date(Date.now() + this.config.WORKER_LEASE_MS).toISOString();
      const kept = await runSql(m, KEEP_TAKEN, [until, chunk.jobId, ...span(chunk), chunk.token]);
      if (kept.affected !== chunk.items.length) throw new ChunkLostError();
      let succeeded = 0;
      let failed = 0;
      for (const o of outcomes) {
        if ('error' in o) {
          await runSql(m, ITEM_FAILED, [o.error.code, JSON.stringify({ message: o.error.message, ...(o.error.details ?? {}) }), chunk.jobId, o.position]);
          failed++;
        } else {
          await this.issuance.record(m, agency, o.prepared, o.signed);
          await runSql(m, ITEM_ISSUED, [o.signed.jwt, o.signed.credentialId, chunk.jobId, o.position]);
          succeeded++;
        }
      }
      const processed = succeeded + failed;
      await runSql(m, COUNT_CHUNK, [succeeded, failed, processed, processed, new Date().toISOString(), chunk.jobId]);
    });
    this.stats.chunks++;
    this.stats.items += outcomes.length;
    // Items refused before signing leave their index unused: give it back. (A failed transaction keeps them
    // all reserved: merely unused.)
    await this.indexes.release(agency.id, outcomes.flatMap((o) => ('error' in o ? [o.index] : [])));
  }
}
