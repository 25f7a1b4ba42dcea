import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { VerificationResult } from '../../../../libs/credentials/src/index.js';
import { BodyLimit, SERVICE_BODY_LIMIT } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { CurrentVerifier, OptionalVerifierKeyGuard } from '../auth/api-key.guard.js';
import {
  PRESENTATION_OUTCOME_SCHEMA,
  VERIFICATION_RESULT_SCHEMA,
  VERIFY_CREDENTIAL_SCHEMA,
  VERIFY_PRESENTATION_SCHEMA,
  presentationOutcome,
  type PresentationOutcome,
  type VerifyCredentialBody,
  type VerifyPresentationBody,
} from './dto/verify.dto.js';
import { VerificationService } from './verification.service.js';

const validatePresentation = bodyValidator<VerifyPresentationBody>(VERIFY_PRESENTATION_SCHEMA);
const validateCredential = bodyValidator<VerifyCredentialBody>(VERIFY_CREDENTIAL_SCHEMA);

/** `POST /presentations/verify` once authenticated and read: here and on the lean route (verify-routes.ts). */
export async function answerPresentation(service: VerificationService, body: unknown, verifier: VerifierAccountEntity | undefined): Promise<VerificationResult | PresentationOutcome> {
  const result = await service.verifyPresentation(validatePresentation(body), verifier);
  return verifier ? result : presentationOutcome(result);
}

/** `POST /credentials/verify` once read: here and on the lean route. */
export function answerCredential(service: VerificationService, body: unknown): Promise<VerificationResult> {
  return service.verifyCredential(validateCredential(body).verifiableCredential);
}

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
  @UseGuards(OptionalVerifierKeyGuard)
  @ApiSecurity('apiKey')
  @ApiOperation({
    summary: 'Verify a presentation obtained otherwise than over OpenID4VP (VC-API style)',
    description:
      `${FAILURES_ARE_RESULTS} The challenge comes from \`POST /challenges\`; \`options.query\` says what the presentation ` +
      "must hold. With the x-api-key of the account that owns the challenge: the full result (any other account's challenge " +
      'is `challenge_unknown`). Without a key: only `{verified, problems: [{code, path}]}`. The challenge is used up only ' +
      'by a presentation that verifies completely: failed attempts leave it open for the holder. ' +
      'Formats: a VP-JWT of JWT VCs (`verifiablePresentation`) and/or SD-JWT VC presentations (`sdJwtPresentations`, each ' +
      'bound by its Key Binding JWT to the challenge as `nonce` and the domain as `aud`); results name only disclosed claims.',
  })
  @ApiBody({ schema: VERIFY_PRESENTATION_SCHEMA as never })
  @ApiOkResponse({ schema: { oneOf: [PRESENTATION_OUTCOME_SCHEMA, VERIFICATION_RESULT_SCHEMA] } as never })
  @ApiBadRequestResponse({ description: '`invalid_request`, `malformed_json`' })
  @ApiForbiddenResponse({ description: '`request_not_registered`: `options.query` beyond the account\'s registration on chain' })
  @ApiUnauthorizedResponse({ description: '`unauthorized`: an API key that is not valid' })
  @ApiPayloadTooLargeResponse({ description: '`payload_too_large`' })
  verifyPresentation(@Body() body: unknown, @CurrentVerifier() verifier: VerifierAccountEntity | undefined): Promise<VerificationResult | PresentationOutcome> {
    return answerPresentation(this.verification, body, verifier);
  }

  // Open: it answers only about the credential the caller sent, and stores nothing.
  @Post('credentials/verify')
  @HttpCode(200)
  @BodyLimit(SERVICE_BODY_LIMIT)
  @ApiOperation({
    summary: 'Verify one credential (no holder binding)',
    description: `${FAILURES_ARE_RESULTS} A VC-JWT (\`jwt_vc_json\`) or an SD-JWT VC (\`dc+sd-jwt\`; no Key Binding JWT needed).`,
  })
  @ApiBody({ schema: VERIFY_CREDENTIAL_SCHEMA as never })
  @ApiOkResponse({ schema: VERIFICATION_RESULT_SCHEMA as never })
  @ApiBadRequestResponse({ description: '`invalid_request`, `malformed_json`' })
  @ApiPayloadTooLargeResponse({ description: '`payload_too_large`' })
  verifyCredential(@Body() body: unknown): Promise<VerificationResult> {
    return answerCredential(this.verification, body);
  }
}
