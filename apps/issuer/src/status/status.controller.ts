import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { ApiKeyGuard, CurrentAgency } from '../auth/api-key.guard.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { CHANGE_STATUS_SCHEMA, ChangeStatusDto } from './dto/status-change.dto.js';
import type { StatusChange } from './entities/status-change.entity.js';
import { StatusService } from './status.service.js';

const validateChange = bodyValidator(CHANGE_STATUS_SCHEMA);

/** Revocation, suspension and reinstatement. */
@ApiTags('status')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('credentials/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Post()
  @HttpCode(202)
  @BodyLimit('4kb')
  @ApiOperation({
    summary: 'Revoke (final), suspend or reinstate a credential',
    description:
      'The change is stored durably first and answered 202 with state `pending`; a worker anchors pending changes on chain in ' +
      'batches and marks them `anchored` with the transaction hash and block (GET /credentials/status/{id}).',
  })
  change(@CurrentAgency() agency: Agency, @Body() body: ChangeStatusDto): Promise<StatusChange> {
    const { credentialId, action } = validateChange(body);
    return this.status.request(agency, credentialId, action);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A status change: pending or anchored (with txHash and blockNumber)' })
  get(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<StatusChange> {
    return this.status.get(agency, id);
  }
}
