import { Module } from '@nestjs/common';
import { AgencyAuditController } from './agency-audit.controller.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** Append-only, hash-chained audit log. */
@Module({ controllers: [AuditController, AgencyAuditController], providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
