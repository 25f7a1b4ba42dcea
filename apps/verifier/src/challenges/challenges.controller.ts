import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { CurrentVerifier, VerifierKeyGuard } from '../auth/api-key.guard.js';
import { ChallengesService, type ChallengeView } from './challenges.service.js';

const CHALLENGE_SCHEMA = {
  type: 'object',
  required: ['challenge', 'domain', 'expiresAt'],
  properties: {
    challenge: { type: 'string', description: 'Single use: the VP `nonce` (a KB-JWT `nonce` for SD-JWT VCs).' },
    domain: { type: 'string', description: 'The VP `aud` (a KB-JWT `aud`).' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

@ApiTags('verification')
@ApiSecurity('apiKey')
@ApiUnauthorizedResponse({ description: '`unauthorized`: no API key, or one that is not valid' })
@Controller('challenges')
export class ChallengesController {
  constructor(private readonly challenges: ChallengesService) {}

  // No body is read: a tiny limit keeps anyone holding a key from making the service parse megabytes.
  @Post()
  @HttpCode(201)
  @UseGuards(VerifierKeyGuard)
  @BodyLimit('1kb')
  @ApiOperation({
    summary: 'A challenge for POST /presentations/verify (verifier account: x-api-key)',
    description:
      'For systems that obtain presentations otherwise than over OpenID4VP (VC-API style). The challenge belongs to ' +
      'the calling account, expires after CHALLENGE_TTL_SECONDS, and is used up by the first presentation that ' +
      'verifies completely with it.',
  })
  @ApiCreatedResponse({ schema: CHALLENGE_SCHEMA as never })
  create(@CurrentVerifier() verifier: VerifierAccountEntity): Promise<ChallengeView> {
    return this.challenges.create(verifier.id);
  }
}
