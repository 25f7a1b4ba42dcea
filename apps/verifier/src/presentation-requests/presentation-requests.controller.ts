import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { GovcredError, presentationQueryErrors } from '../../../../libs/credentials/src/index.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { VerifierRegistrationService } from '../registration/verifier-registration.service.js';
import { CurrentVerifier, OptionalVerifierKeyGuard, VerifierKeyGuard } from '../auth/api-key.guard.js';
import {
  CREATE_PRESENTATION_REQUEST_SCHEMA,
  PRESENTATION_REQUEST_RESPONSE_SCHEMA,
  type CreatePresentationRequestBody,
} from './dto/create-presentation-request.dto.js';
import { PresentationRequestsService, type PresentationRequestView, type PublicPresentationRequestView } from './presentation-requests.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const validateCreate = bodyValidator<CreatePresentationRequestBody>(CREATE_PRESENTATION_REQUEST_SCHEMA);

@ApiTags('presentation requests')
@ApiSecurity('apiKey')
@ApiUnauthorizedResponse({ description: '`unauthorized`: no API key where one is required, or one that is not valid' })
@Controller('presentation-requests')
export class PresentationRequestsController {
  constructor(
    private readonly requests: PresentationRequestsService,
    private readonly registrations: VerifierRegistrationService,
  ) {}

  @Post()
  @HttpCode(201)
  @UseGuards(VerifierKeyGuard)
  @BodyLimit('16kb')
  @ApiOperation({
    summary: 'Ask a holder for credentials (verifier account: x-api-key)',
    description:
      'Stores the query for the calling account and returns a single-use challenge (VP `nonce`) and the domain (VP `aud`); ' +
      'the challenge expires. Give the holder the URL `/presentation-requests/{id}`. An account tied to a DID asks only within ' +
      "that DID's registration on the VerifierRegistry: each claim path must equal or lie under a registered one, and a " +
      'credential without `claims` asks for the whole credential. Accounts without a DID (legacy mode) are not limited.',
  })
  @ApiBody({ schema: CREATE_PRESENTATION_REQUEST_SCHEMA as never })
  @ApiCreatedResponse({ schema: PRESENTATION_REQUEST_RESPONSE_SCHEMA as never })
  @ApiBadRequestResponse({ description: '`invalid_request`, `malformed_json`' })
  @ApiForbiddenResponse({
    description:
      '`request_not_registered`: beyond the registration on chain; `details.refused` lists `{type, reason, claims?}` ' +
      '(reason: `type_not_allowed`, `claim_not_allowed`, `withdrawn`, `expired`, `not_yet_valid`, `not_registered`)',
  })
  create(@Body() body: unknown, @CurrentVerifier() verifier: VerifierAccountEntity): Promise<PresentationRequestView> {
    const { query } = validateCreate(body);
    const errors = presentationQueryErrors(query);
    if (errors.length > 0) throw new GovcredError('invalid_request', 'the request body does not match the expected shape', { errors });
    if (verifier.did) this.registrations.assertQueryAllowed(verifier.did, query);
    return this.requests.create(query, verifier.id);
  }

  @Get(':id')
  @UseGuards(OptionalVerifierKeyGuard)
  @ApiOperation({
    summary: 'A presentation request: with its result for the account that made it, without for a wallet',
    description:
      'With the x-api-key of the account that made the request: the request and its result (until retention ends). ' +
      'Without a key (a wallet holding the URL): only `{id, challenge, domain, query, expiresAt, state}`, never a result. ' +
      "Another account's key, an unknown id and a request past retention all answer 404 `not_found`.",
  })
  @ApiOkResponse({ schema: PRESENTATION_REQUEST_RESPONSE_SCHEMA as never })
  @ApiNotFoundResponse({ description: '`not_found`' })
  get(@Param('id') id: string, @CurrentVerifier() verifier: VerifierAccountEntity | undefined): Promise<PresentationRequestView | PublicPresentationRequestView> {
    if (!UUID.test(id)) throw new GovcredError('not_found', 'no presentation request with this id');
    return verifier ? this.requests.getOwned(id, verifier.id) : this.requests.getPublic(id);
  }
}
