import { Body, Controller, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { ApiKeyGuard, CurrentAgency } from '../auth/api-key.guard.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { ISSUE_CREDENTIAL_SCHEMA, IssueCredentialDto } from '../credentials/dto/issue-credential.dto.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyService } from '../idempotency/idempotency.service.js';
import { TransferService, type Transferred } from './transfer.service.js';

const validateTransfer = bodyValidator(ISSUE_CREDENTIAL_SCHEMA);

/** What a transfer answers. */
export interface TransferAnswer {
  verifiableCredential: string;
  certificateNumber?: string;
  supersededCredentialId: string;
  statusChangeId: string;
}

function transferAnswer(t: Transferred): TransferAnswer {
  return {
    verifiableCredential: t.jwt,
    ...(t.certificateNumber ? { certificateNumber: t.certificateNumber } : {}),
    supersededCredentialId: t.supersededCredentialId,
    statusChangeId: t.statusChangeId,
  };
}

/** Property title transfers (不动产转移登记). */
@ApiTags('credentials')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('credentials')
export class TitlesController {
  constructor(
    private readonly transfers: TransferService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post(':id/transfer')
  @HttpCode(201)
  @BodyLimit('64kb')
  @ApiOperation({
    summary: "Transfer a property title: issue the new owner's certificate and supersede the old one, in one step",
    description:
      'Body as for POST /credentials/issue (the new owner as `credentialSubject.id`, the claims of the same type). The new ' +
      'certificate names its predecessor by hash (`titleRecord`) and keeps the title id; the old one becomes `superseded` ' +
      '(final) in the same database transaction, and its status change (answered as `statusChangeId`) is anchored with the ' +
      'title link on chain. 409 `credential_superseded` (already transferred), `credential_encumbered` (release the mortgage ' +
      `first), \`credential_not_active\`, \`not_a_title\`. \`${IDEMPOTENCY_KEY_HEADER}\` as on issuance.`,
  })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'as on POST /credentials/issue' })
  async transfer(
    @CurrentAgency() agency: Agency,
    @Param('id') id: string,
    @Body() body: IssueCredentialDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransferAnswer> {
    const { credential } = validateTransfer(body);
    const request = { route: 'POST /credentials/:id/transfer', body: { id, body } };
    const answer = await this.idempotency.run<TransferAnswer>(agency.id, key, request, 201, async (store) =>
      transferAnswer(await this.transfers.transfer(agency, id, credential, (m, t) => store(m, transferAnswer(t)))),
    );
    res.status(answer.status);
    return answer.body;
  }
}
