import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CERTIFICATE_LISTS, CertificatesService, type CertificateAnswer } from './certificates.service.js';

/** Paper certificates: a notary or a clerk checks the printed number without calling the agency. */
@ApiTags('certificates')
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  // Open, like POST /credentials/verify: it answers only about the number asked, with no personal data.
  @Get(':number')
  @ApiOperation({
    summary: 'Check a printed certificate number against the chain',
    description:
      `The number names the agency (address prefix), the type, the lists (${CERTIFICATE_LISTS.join(', ')}) and the index; ` +
      'the answer comes from this verifier\'s chain mirrors alone: `state` (valid, revoked, suspended, superseded, encumbered, ' +
      'or unknown when the mirrors cannot vouch or no single agency matches), the agency DID, the type, its accreditation and, ' +
      "for a property title, the title's transfers (dates and agencies). Never personal data.",
  })
  @ApiParam({ name: 'number', example: 'GC-1X2Y3-Z4567-89ABC-DE', description: 'case, spaces and hyphens do not matter; I/L read as 1, O as 0' })
  @ApiOkResponse({ description: '`{certificateNumber, state, agency: {did} | null, type, accreditation, titleHistory?}`' })
  @ApiBadRequestResponse({ description: '`certificate_number_invalid`: malformed, or a mistyped character caught by the check characters' })
  get(@Param('number') number: string): CertificateAnswer {
    return this.certificates.lookup(number);
  }
}
