import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { ApiKeyGuard, CurrentAgency } from '../auth/api-key.guard.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { StatusChange } from '../status/entities/status-change.entity.js';
import { ISSUE_CREDENTIAL_SCHEMA, IssueCredentialDto } from './dto/issue-credential.dto.js';
import { IssuedCredential } from './entities/issued-credential.entity.js';
import { IssuanceService } from './issuance.service.js';

const validateIssue = bodyValidator(ISSUE_CREDENTIAL_SCHEMA);

/** Issuance (VC-API) and the agency's records of issued credentials. */
@ApiTags('credentials')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('credentials')
export class CredentialsController {
  constructor(
    private readonly issuance: IssuanceService,
    private readonly dataSource: DataSource,
  ) {}

  @Post('issue')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue a credential (W3C VC-API): {credential, options} → {verifiableCredential} (a JWT VC signed with the agency key)',
    description:
      '400 codes: `invalid_request`, `invalid_subject` (no holder DID), `subject_did_invalid` (a DID no verifier could accept: ' +
      'wrong EIP-55 checksum, another chain, a public-key form, another method), `unknown_credential_type`, `invalid_claims`.',
  })
  async issue(@CurrentAgency() agency: Agency, @Body() body: IssueCredentialDto): Promise<{ verifiableCredential: string }> {
    const { credential } = validateIssue(body);
    const { jwt } = await this.issuance.issue(agency, credential);
    return { verifiableCredential: jwt };
  }

  @Get()
  @ApiOperation({ summary: 'Records of credentials this agency issued (no claims are kept)' })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'subject', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(
    @CurrentAgency() agency: Agency,
    @Query('type') type?: string,
    @Query('subject') subject?: string,
    @Query('offset') offset = '0',
    @Query('limit') limit = '100',
  ): Promise<{ total: number; items: IssuedCredential[] }> {
    const skip = Number(offset);
    const take = Number(limit);
    if (!Number.isSafeInteger(skip) || skip < 0 || !Number.isSafeInteger(take) || take < 1 || take > 1000) {
      throw new GovcredError('invalid_request', 'offset must be >= 0 and limit between 1 and 1000');
    }
    const where = { agencyId: agency.id, ...(type ? { type } : {}), ...(subject ? { subjectDid: subject } : {}) };
    const [items, total] = await this.dataSource.getRepository(IssuedCredential).findAndCount({ where, order: { issuedAt: 'ASC' }, skip, take });
    return { total, items };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One issued credential of this agency, with its status changes (pending or anchored)' })
  async get(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<IssuedCredential & { statusChanges: StatusChange[] }> {
    const record = await this.dataSource.getRepository(IssuedCredential).findOneBy({ id, agencyId: agency.id });
    // Another agency's credential is "not found": its existence is not revealed.
    if (!record) throw new GovcredError('credential_not_found', 'no such credential of this agency');
    const statusChanges = await this.dataSource.getRepository(StatusChange).find({ where: { credentialId: id, agencyId: agency.id }, order: { seq: 'ASC' } });
    return { ...record, statusChanges };
  }
}
