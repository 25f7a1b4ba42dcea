import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { ApiKeyGuard, CurrentAgency } from '../auth/api-key.guard.js';
import type { CredentialRequest, IssueOptions } from '../credentials/dto/issue-credential.dto.js';
import { BodyLimit, SERVICE_BODY_LIMIT } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyService } from '../idempotency/idempotency.service.js';
import { BulkService, type BulkJobView, type BulkResult } from './bulk.service.js';
import { BULK_ISSUE_SCHEMA, BulkIssueDto, MAX_BULK_ITEMS } from './dto/bulk-issue.dto.js';

const validateBulk = bodyValidator(BULK_ISSUE_SCHEMA);

/** Bulk issuance: a graduating class at once. */
@ApiTags('bulk')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('credentials/issue/bulk')
export class BulkController {
  constructor(
    private readonly bulk: BulkService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @HttpCode(202)
  // The one large body of the issuer (up to 10,000 requests), read only once the API key was accepted.
  @BodyLimit(SERVICE_BODY_LIMIT)
  @ApiOperation({
    summary: `Queue up to ${MAX_BULK_ITEMS} issue requests; answers 202 with the job (poll GET …/bulk/{id})`,
    description: `With an \`${IDEMPOTENCY_KEY_HEADER}\` header a retry gets the first answer (the same job) instead of a second job.`,
  })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: '1–255 characters of A-Z a-z 0-9 . _ ~ : -, unique per request of this agency' })
  async create(
    @CurrentAgency() agency: Agency,
    @Body() body: BulkIssueDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BulkJobView> {
    if (Array.isArray((body as { items?: unknown } | undefined)?.items) && body.items.length > MAX_BULK_ITEMS) {
      throw new GovcredError('too_many_items', `a bulk job holds at most ${MAX_BULK_ITEMS} items`);
    }
    const { items } = validateBulk(body);
    const answer = await this.idempotency.run<BulkJobView>(agency.id, key, { route: 'POST /credentials/issue/bulk', body }, 202, (store) =>
      this.bulk.create(agency, items as Array<{ credential: CredentialRequest; options?: IssueOptions }>, store),
    );
    res.status(answer.status);
    return answer.body;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Progress of a bulk job, with per-item errors' })
  get(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<BulkJobView> {
    return this.bulk.get(agency, id);
  }

  @Get(':id/results')
  @ApiOperation({
    summary: 'Signed credentials (and errors) of processed items, by position',
    description: 'Items are processed in chunks by every issuer process at once: while the job runs, the list may have gaps that fill in; fetch it once the job is done.',
  })
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
