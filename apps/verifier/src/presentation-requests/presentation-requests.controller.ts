import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GovcredError, presentationQueryErrors } from '../../../../libs/credentials/src/index.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import {
  CREATE_PRESENTATION_REQUEST_SCHEMA,
  PRESENTATION_REQUEST_RESPONSE_SCHEMA,
  type CreatePresentationRequestBody,
} from './dto/create-presentation-request.dto.js';
import { PresentationRequestsService, type PresentationRequestView } from './presentation-requests.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const validateCreate = bodyValidator<CreatePresentationRequestBody>(CREATE_PRESENTATION_REQUEST_SCHEMA);

@ApiTags('presentation requests')
@Controller('presentation-requests')
export class PresentationRequestsController {
  constructor(private readonly requests: PresentationRequestsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Ask a holder for credentials',
    description: 'Stores the query and returns a single-use challenge (VP `nonce`) and the domain (VP `aud`); the challenge expires.',
  })
  @ApiBody({ schema: CREATE_PRESENTATION_REQUEST_SCHEMA as never })
  @ApiCreatedResponse({ schema: PRESENTATION_REQUEST_RESPONSE_SCHEMA as never })
  @ApiBadRequestResponse({ description: '`invalid_request`, `malformed_json`' })
  create(@Body() body: unknown): Promise<PresentationRequestView> {
    const { query } = validateCreate(body);
    const errors = presentationQueryErrors(query);
    if (errors.length > 0) throw new GovcredError('invalid_request', 'the request body does not match the expected shape', { errors });
    return this.requests.create(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A presentation request, with the result once a presentation answered it' })
  @ApiOkResponse({ schema: PRESENTATION_REQUEST_RESPONSE_SCHEMA as never })
  @ApiNotFoundResponse({ description: '`not_found`' })
  get(@Param('id') id: string): Promise<PresentationRequestView> {
    if (!UUID.test(id)) throw new GovcredError('not_found', 'no presentation request with this id');
    return this.requests.get(id);
  }
}
