import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { BulkController } from './bulk.controller.js';
import { BulkService } from './bulk.service.js';
import { BulkWorker } from './bulk.worker.js';

/** Bulk issuance jobs. */
@Module({ imports: [AgenciesModule, CredentialsModule, IdempotencyModule], controllers: [BulkController], providers: [BulkService, BulkWorker] })
export class BulkModule {}
