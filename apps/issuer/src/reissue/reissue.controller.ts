import { Body, Controller, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { ReissueService, type Reissued } from './reissue.service.js';

/**
 * Public: the holder of a credential whose signing key was compromised asks for it again. No API key: the
 * credential itself, its digest in the anchored audit log and its signature are the proof.
 */
@ApiTags('credentials')
@Controller('credentials')
export class ReissueController {
  constructor(private readonly reissue: ReissueService) {}

  @Post('reissue')
  // One credential: an SD-JWT VC with every disclosure is at most 64 KiB.
  @BodyLimit('72kb')
  @ApiOperation({
    summary: 'Re-issue a credential of a signing key revoked as compromised (OID4VCI offer with PIN, same claims, new key)',
    description:
      'Accepted only for a credential whose issuance was logged and anchored on chain before its key was revoked, signed by that key, ' +
      'and not re-issued before; its old status entry is revoked. Refusals: `reissue_credential_invalid`, `reissue_not_compromised_key`, ' +
      '`reissue_signature_invalid`, `reissue_not_logged`, `reissue_logged_too_late`, `reissue_already_done`, `reissue_not_active`.',
  })
  @ApiBody({ schema: { type: 'object', required: ['credential'], properties: { credential: { type: 'string' } }, additionalProperties: false } })
  create(@Body() body: unknown): Promise<Reissued> {
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== 'credential')) {
      throw new GovcredError('invalid_request', 'expected {"credential": "<JWT VC or SD-JWT VC>"}');
    }
    return this.reissue.reissue((body as { credential?: unknown }).credential);
  }
}
