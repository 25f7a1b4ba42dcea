import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { VeramoModule } from '../veramo/veramo.module.js';
import { AuditAnchorController } from './audit-anchor.controller.js';
import { AuditAnchorWorker } from './audit-anchor.worker.js';
import { AuditReceiptsService } from './audit-receipts.service.js';

/** Anchoring of the audit log on chain: the outbox worker, receipts and exports. */
@Module({
  imports: [AuditModule, ChainModule, VeramoModule],
  controllers: [AuditAnchorController],
  providers: [AuditAnchorWorker, AuditReceiptsService],
  exports: [AuditAnchorWorker, AuditReceiptsService],
})
export class AuditAnchorModule {}
