import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import type { CredentialRequest, IssueOptions } from '../credentials/dto/issue-credential.dto.js';
import { IssuanceService, type PreparedCredential, type Signed } from '../credentials/issuance.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { runSql, selectSql } from '../database/raw-sql.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { CREDENTIAL_REQUEST_SCHEMA, ISSUE_OPTIONS_SCHEMA } from './dto/bulk-issue.dto.js';
import { BulkItem } from './entities/bulk-item.entity.js';
import { BulkJob } from './entities/bulk-job.entity.js';
import { WorkerLease } from '../workers/worker-lease.js';
import { WorkerLoop } from '../../../common/src/runtime/worker-loop.js';
import { StatusIndexAllocator } from '../credentials/status-index-allocator.js';
import { BulkService } from './bulk.service.js';

/** Items recorded per transaction (signed just before it, outside it). */
const CHUNK = 50;
const validateRequest = bodyValidator(CREDENTIAL_REQUEST_SCHEMA);
const validateOptions = bodyValidator(ISSUE_OPTIONS_SCHEMA);
/**
 * A chunk's items and each item's result, by hand-written statements (as the issuance path's, see runSql):
 * TypeORM's repository `find` and `update` cost more CPU than the statements themselves (a tenth of the bulk
 * worker's time). A processed item keeps its result and drops its request (claims).
 */
export const NEXT_ITEMS = `SELECT "position", "request", "options" FROM "bulk_item" WHERE "jobId" = ? AND "state" = 'queued' ORDER BY "position" LIMIT ${CHUNK}`;
const ITEM_ISSUED = `UPDATE "bulk_item" SET "state" = 'issued', "jwt" = ?, "credentialId" = ?, "request" = NULL, "options" = NULL WHERE "jobId" = ? AND "position" = ?`;
const ITEM_FAILED = `UPDATE "bulk_item" SET "state" = 'failed', "errorCode" = ?, "errorDetails" = ?, "request" = NULL, "options" = NULL WHERE "jobId" = ? AND "position" = ?`;
/** One item of a chunk after its checks: signed, or refused with its unused status index. */
type ItemOutcome = { position: number } & ({ prepared: PreparedCredential; signed: Signed } | { index: number; error: GovcredError });

/**
 * Processes bulk jobs in the background, oldest first, CHUNK items per transaction (items, records, audit
 * entries and job counters commit together, so a restart resumes exactly where it stopped).
 *
 * Every replica with ISSUER_WORKERS may run it; a lease in the database lets one process jobs at a time (one
 * lease for the whole worker: items need no claims of their own). Each chunk's transaction checks the lease
 * first (fencing), so a replica that lost it commits nothing. A chunk's status indexes are reserved, and its
 * items signed, before its transaction opens: nothing waits inside it but its statements.
 */
@Injectable()
export class BulkWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BulkWorker');
  readonly lease: WorkerLease;
  private readonly loop = new WorkerLoop(async () => {
    try {
      if (!(await this.lease.acquire())) return this.config.WORKER_LEASE_RENEW_MS;
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
    this.lease = new WorkerLease('bulk', db, { durationMs: config.WORKER_LEASE_MS, renewMs: config.WORKER_LEASE_RENEW_MS });
    // A job stored here starts now, not after the idle wait (a replica without the lease still waits for it).
    bulk.onCreated(() => this.loop.wake());
  }

  onApplicationBootstrap(): void {
    if (this.config.ISSUER_WORKERS) this.loop.start();
  }

  /** Before the database closes: finish the running chunk, then hand the lease over. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.lease.release().catch(() => undefined);
  }

  /** Processes one chunk; true when there may be more work right away. Call with the lease held. */
  async step(): Promise<boolean> {
    const job = await this.dataSource.getRepository(BulkJob).findOne({ where: { state: In(['queued', 'running']) }, order: { createdAt: 'ASC' } });
    if (!job) {
      await this.bulk.purgeExpired(this.config.BULK_RESULT_TTL_MS);
      return false;
    }
    const agency = await this.agencies.signingKey(job.agencyId);
    const items = await selectSql<Pick<BulkItem, 'position' | 'request' | 'options'>>(this.dataSource, NEXT_ITEMS, [job.id]);
    const reserved = await this.indexes.reserveMany(agency.id, items.length);
    // Every item checked and signed first, outside the transaction: it then holds SQLite's write lock and the
    // audit head's row lock (PostgreSQL: every replica's issuance waits for it) for its statements only, not for
    // the chunk's signatures. An error other than a refusal leaves the chunk for a later step.
    const outcomes: ItemOutcome[] = [];
    for (const [i, item] of items.entries()) {
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
    const unused = outcomes.flatMap((o) => ('error' in o ? [o.index] : []));
    await this.db.write(async (m) => {
      await this.lease.fence(m);
      let succeeded = 0;
      let failed = 0;
      for (const o of outcomes) {
        if ('error' in o) {
          await runSql(m, ITEM_FAILED, [o.error.code, JSON.stringify({ message: o.error.message, ...(o.error.details ?? {}) }), job.id, o.position]);
          failed++;
        } else {
          await this.issuance.record(m, agency, o.prepared, o.signed);
          await runSql(m, ITEM_ISSUED, [o.signed.jwt, o.signed.credentialId, job.id, o.position]);
          succeeded++;
        }
      }
      const done = job.succeeded + job.failed + succeeded + failed >= job.total;
      await m.getRepository(BulkJob).update(
        { id: job.id },
        { succeeded: job.succeeded + succeeded, failed: job.failed + failed, state: done ? 'done' : 'running', ...(done ? { finishedAt: new Date().toISOString() } : {}) },
      );
    });
    // Items refused before signing leave their index unused: give it back. (A failed transaction keeps them
    // all reserved: merely unused.)
    await this.indexes.release(agency.id, unused);
    return true;
  }
}
