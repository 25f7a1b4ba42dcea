import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { VeramoModule } from '../veramo/veramo.module.js';
import { CopyIssuanceService } from './copy-issuance.service.js';
import { CredentialsController } from './credentials.controller.js';
import { IssuanceService } from './issuance.service.js';
import { StatusIndexAllocator } from './status-index-allocator.js';

/** Issuance and the records of issued credentials. */
@Module({
  imports: [AgenciesModule, AuditModule, ChainModule, VeramoModule, IdempotencyModule],
  controllers: [CredentialsController],
  providers: [IssuanceService, CopyIssuanceService, StatusIndexAllocator],
  exports: [IssuanceService, CopyIssuanceService, StatusIndexAllocator],
})
export class CredentialsModule {}
