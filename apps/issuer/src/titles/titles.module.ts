import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { StatusModule } from '../status/status.module.js';
import { TitlesController } from './titles.controller.js';
import { TransferService } from './transfer.service.js';

/** Property title chains: transfers (the status module carries encumbrance and its release). */
@Module({
  imports: [AgenciesModule, AuditModule, CredentialsModule, IdempotencyModule, StatusModule],
  controllers: [TitlesController],
  providers: [TransferService],
  exports: [TransferService],
})
export class TitlesModule {}
