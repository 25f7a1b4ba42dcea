import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, type EntityManager } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { DbWriter } from '../database/db-writer.service.js';
import type { CredentialRequest, IssueOptions } from '../credentials/dto/issue-credential.dto.js';
import { MAX_BULK_ITEMS } from './dto/bulk-issue.dto.js';
import { BulkItem } from './entities/bulk-item.entity.js';
import { BulkJob } from './entities/bulk-job.entity.js';

/** Progress of a bulk job, with the errors of failed items. */
export interface BulkJobView {
  id: string;
  state: BulkJob['state'];
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
  resultsAvailable: boolean;
  errors: Array<{ position: number; code: string; details: unknown }>;
}

/** One result of a bulk job. */
export interface BulkResult {
  position: number;
  state: BulkItem['state'];
  credentialId: string | null;
  verifiableCredential: string | null;
  error: { code: string; details: unknown } | null;
}

function view(job: BulkJob, errors: BulkItem[]): BulkJobView {
  return {
    id: job.id,
    state: job.state,
    total: job.total,
    processed: job.succeeded + job.failed,
    succeeded: job.succeeded,
    failed: job.failed,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    resultsAvailable: job.purgedAt === null,
    errors: errors.map((e) => ({ position: e.position, code: e.errorCode ?? 'internal_error', details: e.errorDetails ? (JSON.parse(e.errorDetails) as unknown) : null })),
  };
}

/** Bulk jobs of an agency: accept, report progress, hand out and purge results. */
@Injectable()
export class BulkService {
  private readonly created = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
  ) {}

  /**
   * Stores the job and its items durably; the bulk worker processes them in the background. `alongside` runs
   * in the same transaction (the idempotency record stores this answer with the job).
   */
  async create(agency: Agency, items: Array<{ credential: CredentialRequest; options?: IssueOptions }>, alongside?: (m: EntityManager, answer: BulkJobView) => Promise<void>): Promise<BulkJobView> {
    if (items.length > MAX_BULK_ITEMS) throw new GovcredError('too_many_items', `a bulk job holds at most ${MAX_BULK_ITEMS} items`);
    const job: BulkJob = {
      id: randomUUID(),
      agencyId: agency.id,
      state: 'queued',
      total: items.length,
      succeeded: 0,
      failed: 0,
      createdAt: new Date().toISOString(),
      finishedAt: null,
      purgedAt: null,
    };
    await this.db.write(async (m) => {
      await m.getRepository(BulkJob).insert(job);
      const rows = items.map((item, position) => ({
        jobId: job.id,
        position,
        state: 'queued' as const,
        request: JSON.stringify(item.credential),
        options: item.options ? JSON.stringify(item.options) : null,
        credentialId: null,
        jwt: null,
        errorCode: null,
        errorDetails: null,
      }));
      for (let i = 0; i < rows.length; i += 100) await m.getRepository(BulkItem).insert(rows.slice(i, i + 100));
      await alongside?.(m, view(job, []));
    });
    for (const listener of this.created) listener();
    return view(job, []);
  }

  /** Calls `listener` after each job this process stored (the bulk worker starts on it at once). */
  onCreated(listener: () => void): void {
    this.created.add(listener);
  }

  async get(agency: Agency, id: string): Promise<BulkJobView> {
    const job = await this.job(agency, id);
    const errors = await this.dataSource.getRepository(BulkItem).find({ where: { jobId: id, state: 'failed' }, order: { position: 'ASC' }, take: 1000 });
    return view(job, errors);
  }

  async results(agency: Agency, id: string, offset: number, limit: number): Promise<{ total: number; items: BulkResult[] }> {
    const job = await this.job(agency, id);
    const items = await this.dataSource.getRepository(BulkItem).find({ where: { jobId: id, state: In(['issued', 'failed']) }, order: { position: 'ASC' }, skip: offset, take: limit });
    return {
      total: job.succeeded + job.failed,
      items: items.map((i) => ({
        position: i.position,
        state: i.state,
        credentialId: i.credentialId,
        verifiableCredential: i.jwt,
        error: i.errorCode ? { code: i.errorCode, details: i.errorDetails ? (JSON.parse(i.errorDetails) as unknown) : null } : null,
      })),
    };
  }

  /** Deletes the signed credentials of a finished job (the agency has them): the issuer keeps no copy. */
  async purge(agency: Agency, id: string): Promise<BulkJobView> {
    const job = await this.job(agency, id);
    if (job.state !== 'done') throw new GovcredError('conflict', 'the job is still running');
    await this.purgeJob(id);
    return this.get(agency, id);
  }

  /** Purges every finished job older than `ttlMs`. */
  async purgeExpired(ttlMs: number): Promise<void> {
    const cutoff = new Date(Date.now() - ttlMs).toISOString();
    const jobs = await this.dataSource.getRepository(BulkJob).find({ where: { state: 'done', purgedAt: IsNull(), finishedAt: LessThan(cutoff) }, take: 100 });
    for (const job of jobs) await this.purgeJob(job.id);
  }

  private async purgeJob(id: string): Promise<void> {
    await this.db.write(async (m) => {
      await m.getRepository(BulkItem).update({ jobId: id }, { jwt: null, request: null, options: null });
      await m.getRepository(BulkJob).update({ id }, { purgedAt: new Date().toISOString() });
    });
  }

  private async job(agency: Agency, id: string): Promise<BulkJob> {
    const job = await this.dataSource.getRepository(BulkJob).findOneBy({ id, agencyId: agency.id });
    if (!job) throw new GovcredError('bulk_job_not_found', 'no such bulk job of this agency');
    return job;
  }
}
