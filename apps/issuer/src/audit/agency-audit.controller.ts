import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AgencyAuthGuard, StaffRoles } from '../auth/agency-auth.guard.js';
import { CurrentAgency } from '../auth/api-key.guard.js';
import { AuditService, type AuditCheck } from './audit.service.js';
import type { AuditEntry } from './entities/audit-entry.entity.js';

/**
 * An agency's own read of the audit log (its auditors in the portal, or its API key): its entries only, and the
 * integrity check of the whole hash chain (which names sequence numbers and kinds of problems, nothing of
 * other agencies' entries).
 */
@ApiTags('audit')
@ApiSecurity('apiKey')
@UseGuards(AgencyAuthGuard)
@StaffRoles('auditor')
@Controller('agency/audit')
export class AgencyAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: "This agency's audit entries in order (page with afterSeq and limit)" })
  @ApiQuery({ name: 'afterSeq', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async entries(
    @CurrentAgency() agency: Agency,
    @Query('afterSeq') afterSeq?: string,
    @Query('limit') limit?: string,
  ): Promise<{ entries: AuditEntry[]; nextAfterSeq: number | null }> {
    const after = afterSeq === undefined ? 0 : Number(afterSeq);
    const take = limit === undefined ? 100 : Number(limit);
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(take) || take < 1 || take > 1000) {
      throw new GovcredError('invalid_request', 'afterSeq must be >= 0 and limit between 1 and 1000');
    }
    const entries = await this.audit.page(after, take, agency.id);
    return { entries, nextAfterSeq: entries.length === take ? entries[entries.length - 1].seq : null };
  }

  @Get('check')
  @ApiOperation({ summary: 'Recompute the hash chain of the whole log: valid, number of entries, head hash, problems by sequence number' })
  check(): Promise<AuditCheck> {
    return this.audit.check();
  }
}
