import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuditAnchorModule } from '../audit-anchor/audit-anchor.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { Oid4vciModule } from '../oid4vci/oid4vci.module.js';
import { StatusModule } from '../status/status.module.js';
import { ReissueController } from './reissue.controller.js';
import { ReissueService } from './reissue.service.js';

/** Re-issuance after a key compromise. */
@Module({
  imports: [AuditModule, AuditAnchorModule, ChainModule, Oid4vciModule, StatusModule],
  controllers: [ReissueController],
  providers: [ReissueService],
})
export class ReissueModule {}
