import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiKeyGuard, CurrentAgency } from '../auth/api-key.guard.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { AgenciesService, agencyView, type CreatedAgency, type RotatedKey } from './agencies.service.js';
import { CREATE_AGENCY_SCHEMA, CreateAgencyDto, type AgencyView } from './dto/create-agency.dto.js';
import type { Agency } from './entities/agency.entity.js';

const validateCreate = bodyValidator(CREATE_AGENCY_SCHEMA);

/** Governance/admin API for agencies (Authorization: Bearer <ISSUER_ADMIN_TOKEN>). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/agencies')
export class AgenciesAdminController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @BodyLimit('16kb')
  @ApiOperation({
    summary: 'Create an agency',
    description:
      'Creates the agency key (in the encrypted KMS), its did:ethr identity, its revocation (list 1) and suspension (list 2) ' +
      'lists on chain, and accredits it for its types on the TrustRegistry when the issuer holds a governance key; otherwise ' +
      '`accreditation.transactions` holds the unsigned transactions for governance to submit. The `apiKey` is shown only here.',
  })
  create(@Body() body: CreateAgencyDto): Promise<CreatedAgency> {
    return this.agencies.create(validateCreate(body));
  }

  @Get()
  @ApiOperation({ summary: 'List agencies' })
  async list(): Promise<AgencyView[]> {
    return (await this.agencies.list()).map(agencyView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agency' })
  async get(@Param('id') id: string): Promise<AgencyView> {
    return agencyView(await this.agencies.get(id));
  }

  @Post(':id/rotate-key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the agency key (ERC-1056 changeOwner); the DID stays the same' })
  rotateKey(@Param('id') id: string): Promise<RotatedKey> {
    return this.agencies.rotateKey(id);
  }

  @Post(':id/api-key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the agency API key (the old one stops working at once)' })
  async replaceApiKey(@Param('id') id: string): Promise<{ apiKey: string }> {
    await this.agencies.get(id);
    return this.agencies.newApiKey(id);
  }
}

/** What an agency can read about itself. */
@ApiTags('agency')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('agency')
export class AgencySelfController {
  @Get()
  @ApiOperation({ summary: 'The calling agency' })
  me(@CurrentAgency() agency: Agency): AgencyView {
    return agencyView(agency);
  }
}
