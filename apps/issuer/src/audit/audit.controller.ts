import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { AuditService, type AuditCheck } from './audit.service.js';
import type { AuditEntry } from './entities/audit-entry.entity.js';

/** Export and check of the audit log (admin). */
@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Export audit entries in order (page with afterSeq and limit; each entry carries its hash and the previous one).' })
  @ApiQuery({ name: 'afterSeq', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'agencyId', required: false })
  async export(
    @Query('afterSeq') afterSeq?: string,
    @Query('limit') limit?: string,
    @Query('agencyId') agencyId?: string,
  ): Promise<{ entries: AuditEntry[]; nextAfterSeq: number | null }> {
    const after = afterSeq === undefined ? 0 : Number(afterSeq);
    const take = limit === undefined ? 1000 : Number(limit);
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(take) || take < 1 || take > 10_000) {
      throw new GovcredError('invalid_request', 'afterSeq must be >= 0 and limit between 1 and 10000');
    }
    const entries = await this.audit.page(after, take, agencyId);
    return { entries, nextAfterSeq: entries.length === take ? entries[entries.length - 1].seq : null };
  }

  @Get('check')
  @ApiOperation({ summary: 'Recompute the hash chain: reports gaps (deleted entries), broken links and edited entries.' })
  check(): Promise<AuditCheck> {
    return this.audit.check();
  }
}
