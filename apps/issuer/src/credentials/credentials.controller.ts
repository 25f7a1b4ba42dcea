import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { And, DataSource, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { GovcredError, parseCertificateNumber } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AgencyAuthGuard, StaffRoles } from '../auth/agency-auth.guard.js';
import { CurrentAgency } from '../auth/api-key.guard.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyService, type Answer } from '../idempotency/idempotency.service.js';
import { StatusChange } from '../status/entities/status-change.entity.js';
import { ISSUE_CREDENTIAL_SCHEMA, IssueCredentialDto } from './dto/issue-credential.dto.js';
import { CREDENTIAL_STATES, IssuedCredential } from './entities/issued-credential.entity.js';
import { IssuanceService, type Issued } from './issuance.service.js';

const validateIssue = bodyValidator(ISSUE_CREDENTIAL_SCHEMA);

/**
 * What issuance answers: the credential and, for the paper copy, its printable certificate number. A JWT VC
 * answers as before formats existed; an SD-JWT VC also names its format and its record's id (it carries no id
 * itself: one more correlatable value in clear), which the agency needs to revoke it.
 */
export interface IssueAnswer {
  verifiableCredential: string;
  certificateNumber?: string;
  format?: 'dc+sd-jwt';
  credentialId?: string;
}

export function issueAnswer(issued: Issued): IssueAnswer {
  return {
    verifiableCredential: issued.jwt,
    ...(issued.certificateNumber ? { certificateNumber: issued.certificateNumber } : {}),
    ...(issued.format === 'dc+sd-jwt' ? { format: issued.format, credentialId: issued.credentialId } : {}),
  };
}

/** The body limit of `POST /credentials/issue`, on the controller and on the lean route. */
export const ISSUE_BODY_LIMIT = '64kb';

/**
 * `POST /credentials/issue` once authenticated and read: here and on the lean route (issue-route.ts). The status
 * is 201 for a fresh issuance, or the stored one for a replayed Idempotency-Key.
 */
export async function answerIssue(
  issuance: IssuanceService,
  idempotency: IdempotencyService,
  agency: Agency,
  body: unknown,
  key: string | undefined,
): Promise<Answer<IssueAnswer>> {
  const { credential, options } = validateIssue(body);
  return idempotency.run<IssueAnswer>(agency.id, key, { route: 'POST /credentials/issue', body }, 201, async (store) => {
    // The authentication read `agency` for this request.
    const issued = await issuance.issue(agency, credential, (m, done) => store(m, issueAnswer(done)), { ...options, agencyReadNow: true });
    return issueAnswer(issued);
  });
}

/** Issuance (VC-API) and the agency's records of issued credentials. */
@ApiTags('credentials')
@ApiSecurity('apiKey')
// Issuing takes an API key only; the records are also open to staff sessions (portal).
@UseGuards(AgencyAuthGuard)
@Controller('credentials')
export class CredentialsController {
  constructor(
    private readonly issuance: IssuanceService,
    private readonly idempotency: IdempotencyService,
    private readonly dataSource: DataSource,
  ) {}

  @Post('issue')
  @HttpCode(201)
  @BodyLimit(ISSUE_BODY_LIMIT)
  @ApiOperation({
    summary:
      'Issue a credential (W3C VC-API): {credential, options} → {verifiableCredential, certificateNumber} (a JWT VC, or with ' +
      'options.format dc+sd-jwt an SD-JWT VC, signed with the agency key, and the printable number a verifier checks on ' +
      'GET /certificates/{number})',
    description:
      'A JWT VC answers `{verifiableCredential, certificateNumber}`; an SD-JWT VC also `format: "dc+sd-jwt", credentialId` `{verifiableCredential, format: "dc+sd-jwt", credentialId}` ' +
      '(the SD-JWT carries no id, so its record\'s is given). ' +
      `With an \`${IDEMPOTENCY_KEY_HEADER}\` header a retry (after a lost answer or on another replica) gets the first answer: the same ` +
      'credential. The same key with another body is 422 `idempotency_key_reused`; while the first request is still being ' +
      'processed, 409 `idempotency_key_in_progress`. Answers are kept for IDEMPOTENCY_TTL_MS. 400 codes: `invalid_request`, ' +
      '`invalid_subject` (no holder DID), `subject_did_invalid` (a DID no verifier could accept: wrong EIP-55 checksum, another ' +
      'chain, a public-key form, another method), `unknown_credential_type`, `invalid_claims`.',
  })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: '1–255 characters of A-Z a-z 0-9 . _ ~ : -, unique per request of this agency' })
  async issue(
    @CurrentAgency() agency: Agency,
    @Body() body: IssueCredentialDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IssueAnswer> {
    const answer = await answerIssue(this.issuance, this.idempotency, agency, body, key);
    res.status(answer.status);
    return answer.body;
  }

  @Get()
  @StaffRoles('clerk', 'officer', 'auditor')
  @ApiOperation({ summary: 'Records of credentials this agency issued, by id, certificate number, type, subject, state or issuance time (no claims are kept)' })
  @ApiQuery({ name: 'id', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'subject', required: false })
  @ApiQuery({ name: 'certificateNumber', required: false, description: 'The printed GC-… number (spaces, case and I/L/O misreadings allowed); `certificate_number_invalid` when a check character catches a typo' })
  @ApiQuery({ name: 'state', required: false, enum: CREDENTIAL_STATES })
  @ApiQuery({ name: 'issuedFrom', required: false, description: 'ISO date or date-time (inclusive)' })
  @ApiQuery({ name: 'issuedBefore', required: false, description: 'ISO date or date-time (exclusive)' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(
    @CurrentAgency() agency: Agency,
    @Query() query: Record<string, unknown>,
  ): Promise<{ total: number; items: IssuedCredential[] }> {
    const text = (name: string, max = 500): string | undefined => {
      const value = query[name];
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string' || value.length > max) throw new GovcredError('invalid_request', `${name} must be one string of at most ${max} characters`);
      return value;
    };
    const skip = Number(text('offset') ?? '0');
    const take = Number(text('limit') ?? '100');
    if (!Number.isSafeInteger(skip) || skip < 0 || !Number.isSafeInteger(take) || take < 1 || take > 1000) {
      throw new GovcredError('invalid_request', 'offset must be >= 0 and limit between 1 and 1000');
    }
    const instant = (name: string): string | undefined => {
      const value = text(name, 40);
      if (value === undefined) return undefined;
      const time = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : NaN;
      if (Number.isNaN(time)) throw new GovcredError('invalid_request', `${name} must be an ISO date or date-time`);
      // As issuedAt is written: whole seconds, no fraction (a fraction would break the string order).
      return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    };
    const state = text('state', 12);
    if (state !== undefined && !(CREDENTIAL_STATES as readonly string[]).includes(state)) {
      throw new GovcredError('invalid_request', `state must be one of ${CREDENTIAL_STATES.join(', ')}`);
    }
    const order = text('order', 4) ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw new GovcredError('invalid_request', 'order must be asc or desc');
    const [id, type, subject, from, before] = [text('id'), text('type', 100), text('subject'), instant('issuedFrom'), instant('issuedBefore')];
    // A printed certificate number: its list index finds the row by the (agency, index) key, the number confirms it.
    const printed = text('certificateNumber', 64);
    const number = printed === undefined ? undefined : parseCertificateNumber(printed);
    if (number && !number.ok) throw new GovcredError('certificate_number_invalid', 'not a certificate number: malformed, or a character the check characters show was mistyped');
    // issuedAt is an ISO string in UTC with whole seconds: its string order is the order of time.
    const issuedAt = from && before ? And(MoreThanOrEqual(from), LessThan(before)) : from ? MoreThanOrEqual(from) : before ? LessThan(before) : undefined;
    const where: FindOptionsWhere<IssuedCredential> = {
      agencyId: agency.id,
      ...(id ? { id } : {}),
      ...(type ? { type } : {}),
      ...(subject ? { subjectDid: subject } : {}),
      ...(number?.ok ? { statusIndex: number.fields.index, certificateNumber: number.canonical } : {}),
      ...(state ? { state: state as IssuedCredential['state'] } : {}),
      ...(issuedAt ? { issuedAt } : {}),
    };
    const [items, total] = await this.dataSource
      .getRepository(IssuedCredential)
      .findAndCount({ where, order: { issuedAt: order === 'asc' ? 'ASC' : 'DESC' }, skip, take });
    return { total, items };
  }

  @Get(':id')
  @StaffRoles('clerk', 'officer', 'auditor')
  @ApiOperation({ summary: 'One issued credential of this agency, with its status changes (pending or anchored)' })
  async get(@CurrentAgency() agency: Agency, @Param('id') id: string): Promise<IssuedCredential & { statusChanges: StatusChange[] }> {
    const record = await this.dataSource.getRepository(IssuedCredential).findOneBy({ id, agencyId: agency.id });
    // Another agency's credential is "not found": its existence is not revealed.
    if (!record) throw new GovcredError('credential_not_found', 'no such credential of this agency');
    const statusChanges = await this.dataSource.getRepository(StatusChange).find({ where: { credentialId: id, agencyId: agency.id }, order: { seq: 'ASC' } });
    return { ...record, statusChanges };
  }
}
