import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import type { CredentialRequest } from '../credentials/dto/issue-credential.dto.js';
import { IssuanceService } from '../credentials/issuance.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { CREDENTIAL_REQUEST_SCHEMA } from './dto/bulk-issue.dto.js';
import { BulkItem } from './entities/bulk-item.entity.js';
import { BulkJob } from './entities/bulk-job.entity.js';
import { WorkerLoop } from '../workers/worker-loop.js';
import { BulkService } from './bulk.service.js';

/** Items signed per transaction: short enough not to hold up single issuance for long. */
const CHUNK = 50;
const validateRequest = bodyValidator(CREDENTIAL_REQUEST_SCHEMA);

/**
 * Processes bulk jobs in the background, oldest first, CHUNK items per transaction (items, records, audit
 * entries and job counters commit together, so a restart resumes exactly where it stopped).
 */
@Injectable()
export class BulkWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BulkWorker');
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
    private readonly agencies: AgenciesService,
    private readonly bulk: BulkService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.ISSUER_WORKERS) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Processes one chunk; true when there may be more work right away. */
  async step(): Promise<boolean> {
    const job = await this.dataSource.getRepository(BulkJob).findOne({ where: { state: In(['queued', 'running']) }, order: { createdAt: 'ASC' } });
    if (!job) {
      await this.bulk.purgeExpired(this.config.BULK_RESULT_TTL_MS);
      return false;
    }
    const agency = await this.agencies.signingKey(job.agencyId);
    await this.db.write(async (m) => {
      const items = await m.getRepository(BulkItem).find({ where: { jobId: job.id, state: 'queued' }, order: { position: 'ASC' }, take: CHUNK });
      let succeeded = 0;
      let failed = 0;
      for (const item of items) {
        try {
          const request = validateRequest(JSON.parse(item.request ?? 'null')) as CredentialRequest;
          const { jwt, credentialId } = await this.issuance.issuePrepared(m, agency, this.issuance.prepare(agency, request));
          await m.getRepository(BulkItem).update({ jobId: job.id, position: item.position }, { state: 'issued', jwt, credentialId, request: null });
          succeeded++;
        } catch (error) {
          if (!(error instanceof GovcredError)) throw error;
          await m.getRepository(BulkItem).update(
            { jobId: job.id, position: item.position },
            { state: 'failed', request: null, errorCode: error.code, errorDetails: JSON.stringify({ message: error.message, ...(error.details ?? {}) }) },
          );
          failed++;
        }
      }
      const done = job.succeeded + job.failed + succeeded + failed >= job.total;
      await m.getRepository(BulkJob).update(
        { id: job.id },
        { succeeded: job.succeeded + succeeded, failed: job.failed + failed, state: done ? 'done' : 'running', ...(done ? { finishedAt: new Date().toISOString() } : {}) },
      );
    });
    return true;
  }
}
