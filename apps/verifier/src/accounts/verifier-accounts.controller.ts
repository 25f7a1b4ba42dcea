import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { AdminGuard } from '../auth/admin.guard.js';
import {
  CREATE_VERIFIER_SCHEMA,
  CREATED_VERIFIER_ACCOUNT_SCHEMA,
  VERIFIER_ACCOUNT_SCHEMA,
  type CreateVerifierBody,
  type CreatedVerifierAccount,
  type VerifierAccountView,
} from './dto/create-verifier.dto.js';
import { VerifierAccountsService } from './verifier-accounts.service.js';

const validateCreate = bodyValidator<CreateVerifierBody>(CREATE_VERIFIER_SCHEMA);

/** Admin API for verifier accounts (Authorization: Bearer <VERIFIER_ADMIN_TOKEN>). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@ApiUnauthorizedResponse({ description: '`unauthorized`' })
@Controller('admin/verifiers')
export class VerifierAccountsController {
  constructor(private readonly accounts: VerifierAccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a verifier account',
    description:
      'A relying party: it makes OpenID4VP requests and challenges, and alone reads their results. The `apiKey` is shown only here. ' +
      'With a `did`, the DID must have a registration in force on the VerifierRegistry, and the account may then ask only ' +
      'for what that registration allows. Without a `did` (legacy mode) nothing on chain limits what it asks.',
  })
  @ApiBadRequestResponse({ description: '`invalid_request`; `verifier_not_registered` (the DID has no registration in force on chain)' })
  @ApiBody({ schema: CREATE_VERIFIER_SCHEMA as never })
  @ApiCreatedResponse({ schema: CREATED_VERIFIER_ACCOUNT_SCHEMA as never })
  create(@Body() body: unknown): Promise<CreatedVerifierAccount> {
    return this.accounts.create(validateCreate(body));
  }

  @Get()
  @ApiOperation({ summary: 'List verifier accounts (without keys)' })
  @ApiOkResponse({ schema: { type: 'array', items: VERIFIER_ACCOUNT_SCHEMA } as never })
  list(): Promise<VerifierAccountView[]> {
    return this.accounts.list();
  }
}
