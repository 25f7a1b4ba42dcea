import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { ApiKeyGuard, CurrentAgency } from '../auth/api-key.guard.js';
import type { CredentialRequest } from '../credentials/dto/issue-credential.dto.js';
import { BodyLimit, SERVICE_BODY_LIMIT } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { BulkService, type BulkJobView, type BulkResult } from './bulk.service.js';
import { BULK_ISSUE_SCHEMA, BulkIssueDto, MAX_BULK_ITEMS } from './dto/bulk-issue.dto.js';

const validateBulk = bodyValidator(BULK_ISSUE_SCHEMA);

/** Bulk issuance: a graduating class at once. */
@ApiTags('bulk')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('credentials/issue/bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post()
  @HttpCode(202)
  // The one large body of the issuer (up to 10,000 requests), read only once the API key was accepted.
  @BodyLimit(SERVICE_BODY_LIMIT)
  @ApiOperation({ summary: `Queue up to ${MAX_BULK_ITEMS} issue requests; answers 202 with the job (poll GET …/bulk/{id})` })
  create(@CurrentAgency() agency: Agency, @Body() body: BulkIssueDto): Promise<BulkJobView> {
    if (Array.isArray((body as { items?: unknown } | undefined)?.items) && body.items.length > MAX_BULK_ITEMS) {
      throw new GovcredError('too_many_items', `a bulk job holds at most ${MAX_BULK_ITEMS} items`);
    }
    const { items } = validateBulk(body);
    return this.bulk.create(agency, items as Array<{ credential: CredentialRequest }>);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Progress of a bulk job, with per-item errors' })
  get(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<BulkJobView> {
    return this.bulk.get(agency, id);
  }

  @Get(':id/results')
  @ApiOperation({ summary: 'Signed credentials (and errors) of processed items, by position' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false })
  results(@CurrentAgency() agency: Agency, @Param('id') id: string, @Query('offset') offset = '0', @Query('limit') limit = '1000'): Promise<{ total: number; items: BulkResult[] }> {
    const skip = Number(offset);
    const take = Number(limit);
    if (!Number.isSafeInteger(skip) || skip < 0 || !Number.isSafeInteger(take) || take < 1 || take > 10_000) {
      throw new GovcredError('invalid_request', 'offset must be >= 0 and limit between 1 and 10000');
    }
    return this.bulk.results(agency, id, skip, take);
  }

  @Delete(':id/results')
  @ApiOperation({ summary: 'Delete the signed credentials of a finished job once fetched (otherwise they expire after BULK_RESULT_TTL_MS)' })
  purge(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<BulkJobView> {
    return this.bulk.purge(agency, id);
  }
}
