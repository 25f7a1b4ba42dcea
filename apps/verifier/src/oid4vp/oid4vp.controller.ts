import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { BodyLimit, SERVICE_BODY_LIMIT } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { CurrentVerifier, VerifierKeyGuard } from '../auth/api-key.guard.js';
import {
  CREATE_OID4VP_REQUEST_SCHEMA,
  CREATED_OID4VP_REQUEST_SCHEMA,
  OID4VP_REQUEST_VIEW_SCHEMA,
  type CreateOid4vpRequestBody,
  type CreatedOid4vpRequest,
  type Oid4vpRequestView,
} from './dto/oid4vp.dto.js';
import { Oid4vpRequestsService } from './oid4vp-requests.service.js';
import { Oid4vpResponsesService } from './oid4vp-responses.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const validateCreate = bodyValidator<CreateOid4vpRequestBody>(CREATE_OID4VP_REQUEST_SCHEMA);
const checkId = (id: string) => {
  if (!UUID.test(id)) throw new GovcredError('not_found', 'no OpenID4VP request with this id');
};

/** OpenID for Verifiable Presentations 1.0 with DCQL: requests by reference, signed; responses by direct_post(.jwt). */
@ApiTags('oid4vp')
@Controller('oid4vp')
export class Oid4vpController {
  constructor(
    private readonly requests: Oid4vpRequestsService,
    private readonly responses: Oid4vpResponsesService,
  ) {}

  @Post('requests')
  @HttpCode(201)
  @UseGuards(VerifierKeyGuard)
  @ApiSecurity('apiKey')
  @ApiOperation({
    summary: 'Ask a wallet for credentials over OpenID4VP (verifier account: x-api-key)',
    description:
      'Takes a DCQL query and answers an `openid4vp://` URI (QR-sized) whose request object, signed with the account’s did:ethr ' +
      '(client_id `decentralized_identifier:<did>`), is fetched once at its request_uri. The query must stay within the account’s ' +
      'registration on the VerifierRegistry.',
  })
  @ApiBody({ schema: CREATE_OID4VP_REQUEST_SCHEMA as never })
  @ApiCreatedResponse({ schema: CREATED_OID4VP_REQUEST_SCHEMA as never })
  @ApiBadRequestResponse({ description: '`invalid_request`' })
  @ApiForbiddenResponse({ description: '`request_not_registered` (`details.refused`)' })
  @ApiConflictResponse({ description: '`verifier_key_missing`: the account has no signing key' })
  create(@Body() body: unknown, @CurrentVerifier() account: VerifierAccountEntity, @Req() req: Request): Promise<CreatedOid4vpRequest> {
    return this.requests.create(account, validateCreate(body), `${req.protocol}://${req.get('host')}`);
  }

  @Get('requests/:id/request-object')
  @Header('content-type', 'application/oauth-authz-req+jwt')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'The signed request object (JAR, RFC 9101), handed out once' })
  @ApiNotFoundResponse({ description: '`not_found`' })
  @ApiConflictResponse({ description: '`request_uri_used`' })
  requestObject(@Param('id') id: string): Promise<string> {
    checkId(id);
    return this.requests.fetchRequestObject(id);
  }

  @Post('responses/:id')
  @HttpCode(200)
  @BodyLimit(SERVICE_BODY_LIMIT, { form: true })
  @ApiOperation({
    summary: 'The wallet’s authorization response (OID4VP 1.0 §8.2, direct_post / direct_post.jwt)',
    description: 'Form fields `vp_token` and `state`, or `response` (JWE). The wallet gets `{}`; the result is the verifier account’s.',
  })
  @ApiOkResponse({ schema: { type: 'object' } as never })
  @ApiBadRequestResponse({ description: '`response_invalid`, `state_mismatch`' })
  @ApiConflictResponse({ description: '`response_replayed`' })
  respond(@Param('id') id: string, @Body() body: unknown): Promise<Record<string, never>> {
    checkId(id);
    return this.responses.respond(id, body);
  }

  @Get('requests/:id')
  @UseGuards(VerifierKeyGuard)
  @ApiSecurity('apiKey')
  @ApiOperation({ summary: 'The request’s status and result, for the account that made it' })
  @ApiOkResponse({ schema: OID4VP_REQUEST_VIEW_SCHEMA as never })
  @ApiNotFoundResponse({ description: '`not_found` (also for another account’s request)' })
  get(@Param('id') id: string, @CurrentVerifier() account: VerifierAccountEntity): Promise<Oid4vpRequestView> {
    checkId(id);
    return this.requests.getOwned(id, account.id);
  }

  @Sse('requests/:id/events')
  @UseGuards(VerifierKeyGuard)
  @ApiSecurity('apiKey')
  @ApiOperation({ summary: 'Server-sent events of the request’s status: one event per change, closed once it is final' })
  async events(@Param('id') id: string, @CurrentVerifier() account: VerifierAccountEntity): Promise<Observable<MessageEvent>> {
    checkId(id);
    const first = await this.requests.getOwned(id, account.id); // 404 before the stream opens
    return new Observable<MessageEvent>((subscriber) => {
      let last = '';
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const emit = (view: Oid4vpRequestView) => {
        if (view.status !== last) subscriber.next({ data: view });
        last = view.status;
        if (view.status !== 'pending') subscriber.complete();
        else timer = setTimeout(poll, 250);
      };
      // Polls the database rather than an in-process bus: the response may land on another replica.
      const poll = () => {
        if (closed) return;
        this.requests.getOwned(id, account.id).then(emit, () => subscriber.complete());
      };
      emit(first);
      return () => {
        closed = true;
        clearTimeout(timer);
      };
    });
  }
}
