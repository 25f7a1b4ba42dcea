import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { AuditReceiptsService, type AuditReceipt } from './audit-receipts.service.js';

/** Receipts and exports that prove the audit log against its anchors on chain (admin). */
@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/audit')
export class AuditAnchorController {
  constructor(private readonly receipts: AuditReceiptsService) {}

  @Get('export')
  @ApiOperation({
    summary:
      'Export the audit log as NDJSON for `npm run audit -- verify <file>`: a header line (chain, contract, stream), then one entry per line. ' +
      'By default up to the last anchored entry (all provable); through=all adds the entries not anchored yet.',
  })
  @ApiQuery({ name: 'through', required: false, enum: ['anchored', 'all'] })
  @ApiProduces('application/x-ndjson')
  async export(@Res() res: Response, @Query('through') through?: string): Promise<void> {
    if (through !== undefined && through !== 'anchored' && through !== 'all') {
      throw new GovcredError('invalid_request', 'through must be "anchored" or "all"');
    }
    const { header, lastSeq } = await this.receipts.exportHeader();
    const until = through === 'all' ? lastSeq : header.anchoredThrough;
    res.status(200).type('application/x-ndjson');
    res.write(JSON.stringify(header) + '\n');
    // Streamed a page at a time, so a long log never sits in memory whole.
    for await (const page of this.receipts.entries(until)) {
      if (!res.write(page.map((e) => JSON.stringify(e)).join('\n') + '\n')) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }

  @Get(':seq/receipt')
  @ApiOperation({ summary: 'Proof of one audit entry: its hash, the RFC 9162 Merkle path and the anchor transaction (409 not_anchored_yet before).' })
  receipt(@Param('seq') seq: string): Promise<AuditReceipt> {
    const n = /^[1-9][0-9]{0,14}$/.test(seq) ? Number(seq) : NaN;
    if (!Number.isSafeInteger(n)) throw new GovcredError('invalid_request', 'seq must be a positive integer');
    return this.receipts.receipt(n);
  }
}
