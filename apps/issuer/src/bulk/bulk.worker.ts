import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import type { CredentialRequest, IssueOptions } from '../credentials/dto/issue-credential.dto.js';
import { IssuanceService } from '../credentials/issuance.service.js';
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

/** Items signed per transaction: short enough not to hold up single issuance for long. */
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

/**
 * Processes bulk jobs in the background, oldest first, CHUNK items per transaction (items, records, audit
 * entries and job counters commit together, so a restart resumes exactly where it stopped).
 *
 * Every replica with ISSUER_WORKERS may run it; a lease in the database lets one process jobs at a time (one
 * lease for the whole worker: items need no claims of their own). Each chunk's transaction checks the lease
 * first (fencing), so a replica that lost it commits nothing. A chunk's status indexes are reserved before
 * its transaction opens, so no index reservation waits inside it.
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
    const unused: number[] = [];
    await this.db.write(async (m) => {
      await this.lease.fence(m);
      unused.length = 0;
      let succeeded = 0;
      let failed = 0;
      for (const [i, item] of items.entries()) {
        try {
          const request = validateRequest(JSON.parse(item.request ?? 'null')) as CredentialRequest;
          const options = item.options ? (validateOptions(JSON.parse(item.options)) as IssueOptions) : undefined;
          const { jwt, credentialId } = await this.issuance.issuePrepared(m, agency, this.issuance.prepare(agency, request, options), reserved[i]);
          await runSql(m, ITEM_ISSUED, [jwt, credentialId, job.id, item.position]);
          succeeded++;
        } catch (error) {
          if (!(error instanceof GovcredError)) throw error;
          unused.push(reserved[i]);
          await runSql(m, ITEM_FAILED, [error.code, JSON.stringify({ message: error.message, ...(error.details ?? {}) }), job.id, item.position]);
          failed++;
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
