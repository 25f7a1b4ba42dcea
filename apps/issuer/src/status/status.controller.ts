import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AgencyAuthGuard, CurrentActor, StaffRoles } from '../auth/agency-auth.guard.js';
import { CurrentAgency } from '../auth/api-key.guard.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { CHANGE_STATUS_SCHEMA, ChangeStatusDto } from './dto/status-change.dto.js';
import type { StatusChange } from './entities/status-change.entity.js';
import { StatusService } from './status.service.js';

const validateChange = bodyValidator(CHANGE_STATUS_SCHEMA);

/** Revocation, suspension and reinstatement; encumbrance and its release on property titles. */
@ApiTags('status')
@ApiSecurity('apiKey')
@UseGuards(AgencyAuthGuard)
@Controller('credentials/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Post()
  @StaffRoles('officer')
  @HttpCode(202)
  @BodyLimit('4kb')
  @ApiOperation({
    summary: 'Revoke (final), suspend or reinstate a credential; encumber or release a property title',
    description:
      '`encumber` (抵押登记) and `release` apply to property title certificates in state active / encumbered (else 409 ' +
      '`not_a_title`, `already_encumbered`, `not_encumbered`, `credential_not_active`); a superseded certificate (its title was ' +
      'transferred) refuses every action (`credential_superseded`, `supersession_is_final`). The change is stored durably first and answered 202 with state `pending`; a worker anchors pending changes on chain in ' +
      'batches and marks them `anchored` with the transaction hash and block (GET /credentials/status/{id}). ' +
      'Repeating the request that produced the current state (e.g. a retry after a lost answer) is answered 200 with the ' +
      'change that did it (same id); other illegal transitions are 409 with a stable code.',
  })
  @ApiResponse({ status: 202, description: 'a new change, pending' })
  @ApiResponse({ status: 200, description: 'a repeat: the earlier change that produced the current state' })
  async change(
    @CurrentAgency() agency: Agency,
    @CurrentActor() actor: string,
    @Body() body: ChangeStatusDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StatusChange> {
    const { credentialId, action, reason } = validateChange(body);
    const { change, created } = await this.status.request(agency, credentialId, action, { actor, reason });
    if (!created) res.status(200);
    return change;
  }

  @Get(':id')
  @StaffRoles('clerk', 'officer', 'auditor')
  @ApiOperation({ summary: 'A status change: pending or anchored (with txHash and blockNumber)' })
  get(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<StatusChange> {
    return this.status.get(agency, id);
  }
}
