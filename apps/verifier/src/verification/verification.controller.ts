import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import type { VerificationResult } from '../../../../libs/credentials/src/index.js';
import { BodyLimit, SERVICE_BODY_LIMIT } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import {
  VERIFICATION_RESULT_SCHEMA,
  VERIFY_CREDENTIAL_SCHEMA,
  VERIFY_PRESENTATION_SCHEMA,
  type VerifyCredentialBody,
  type VerifyPresentationBody,
} from './dto/verify.dto.js';
import { VerificationService } from './verification.service.js';

const validatePresentation = bodyValidator<VerifyPresentationBody>(VERIFY_PRESENTATION_SCHEMA);
const validateCredential = bodyValidator<VerifyCredentialBody>(VERIFY_CREDENTIAL_SCHEMA);

const FAILURES_ARE_RESULTS =
  'A presentation or credential that fails verification is answered 200 with `verified: false` and its problems; ' +
  'only a body that does not fit the API is a 400.';

@ApiTags('verification')
@Controller()
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Post('presentations/verify')
  @HttpCode(200)
  @BodyLimit(SERVICE_BODY_LIMIT)
  @ApiOperation({ summary: 'Verify a presentation answering a presentation request', description: FAILURES_ARE_RESULTS })
  @ApiBody({ schema: VERIFY_PRESENTATION_SCHEMA as never })
  @ApiOkResponse({ schema: VERIFICATION_RESULT_SCHEMA as never })
  @ApiBadRequestResponse({ description: '`invalid_request`, `malformed_json`' })
  @ApiPayloadTooLargeResponse({ description: '`payload_too_large`' })
  verifyPresentation(@Body() body: unknown): Promise<VerificationResult> {
    return this.verification.verifyPresentation(validatePresentation(body));
  }

  @Post('credentials/verify')
  @HttpCode(200)
  @BodyLimit(SERVICE_BODY_LIMIT)
  @ApiOperation({ summary: 'Verify one credential (no holder binding)', description: FAILURES_ARE_RESULTS })
  @ApiBody({ schema: VERIFY_CREDENTIAL_SCHEMA as never })
  @ApiOkResponse({ schema: VERIFICATION_RESULT_SCHEMA as never })
  @ApiBadRequestResponse({ description: '`invalid_request`, `malformed_json`' })
  @ApiPayloadTooLargeResponse({ description: '`payload_too_large`' })
  verifyCredential(@Body() body: unknown): Promise<VerificationResult> {
    return this.verification.verifyCredential(validateCredential(body).verifiableCredential);
  }
}
