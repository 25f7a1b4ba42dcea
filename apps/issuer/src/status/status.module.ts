import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { AnchorWorker } from './anchor.worker.js';
import { StatusController } from './status.controller.js';
import { StatusService } from './status.service.js';

/** Status changes: the outbox and its anchoring worker. */
@Module({
  imports: [AgenciesModule, AuditModule, ChainModule],
  controllers: [StatusController],
  providers: [StatusService, AnchorWorker],
  exports: [AnchorWorker, StatusService],
})
export class StatusModule {}
