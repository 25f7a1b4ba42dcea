import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Oid4vciResponse } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AgencyAuthGuard, CurrentActor, StaffRoles } from '../auth/agency-auth.guard.js';
import { CurrentAgency } from '../auth/api-key.guard.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import { CREATE_OFFER_SCHEMA, CreateOfferDto, type CreatedOffer } from './dto/create-offer.dto.js';
import { CREATE_OFFERS_SCHEMA, CreateOffersDto, MAX_OFFERS_PER_REQUEST, type OfferResult } from './dto/create-offers.dto.js';
import { OFFER_FORMATS, type OfferFormat } from './offer-formats.js';
import { Oid4vciService } from './oid4vci.service.js';

const validateOffer = bodyValidator(CREATE_OFFER_SCHEMA);
const validateOffers = bodyValidator(CREATE_OFFERS_SCHEMA);

function send(res: Response, reply: Oid4vciResponse): void {
  res.status(reply.status).set(reply.headers).json(reply.body);
}

/** An agency makes credential offers for citizens' wallets. */
@ApiTags('oid4vci')
@ApiSecurity('apiKey')
@UseGuards(AgencyAuthGuard)
@StaffRoles('clerk')
@Controller('oid4vci/offers')
export class Oid4vciOffersController {
  constructor(private readonly oid4vci: Oid4vciService) {}

  @Post()
  @BodyLimit('64kb')
  @ApiOperation({
    summary: 'Create a credential offer (OID4VCI 1.0 pre-authorized code flow)',
    description:
      'Returns `offerUri` (openid-credential-offer://?credential_offer_uri=…, about 180 characters: show it as a QR code; `delivery: "value"` ' +
      'puts the whole offer in it instead) and, with `txCode: true`, the PIN to hand to the ' +
      'citizen another way. The offer is single use and expires; its claims are kept only until it is redeemed or expires.',
  })
  create(@CurrentAgency() agency: Agency, @CurrentActor() actor: string, @Body() body: CreateOfferDto): Promise<CreatedOffer> {
    return this.oid4vci.createOffer(agency, validateOffer(body), actor);
  }

  @Post('bulk')
  @HttpCode(200)
  @BodyLimit('1mb')
  @ApiOperation({
    summary: `Offers for up to ${MAX_OFFERS_PER_REQUEST} citizens of one credential type (e.g. a graduating class)`,
    description: 'Each row is checked on its own: `results[i]` holds its offer (URI, PIN, expiry) or its error with a stable code.',
  })
  async createMany(@CurrentAgency() agency: Agency, @CurrentActor() actor: string, @Body() body: CreateOffersDto): Promise<{ results: OfferResult[] }> {
    const { items, ...common } = validateOffers(body);
    return { results: await this.oid4vci.createOffers(agency, { txCode: true, ...common }, items, actor) };
  }
}

/**
 * The wallet-facing endpoints of each agency's Credential Issuer (OID4VCI 1.0 §§ 6–8, 12; RFC 8414 metadata).
 * They answer with OAuth 2.0 / OID4VCI error bodies (`error`, `error_description`) as wallets expect.
 */
@ApiTags('oid4vci')
@Controller()
export class Oid4vciProtocolController {
  constructor(private readonly oid4vci: Oid4vciService) {}

  @Get('oid4vci/formats')
  @ApiOperation({ summary: 'Credential formats offers can be made in, with zh-CN/en labels' })
  formats(): readonly OfferFormat[] {
    return OFFER_FORMATS;
  }

  @Get('.well-known/openid-credential-issuer/oid4vci/:agencyId')
  @ApiOperation({ summary: 'Credential Issuer metadata of an agency' })
  async issuerMetadata(@Param('agencyId') agencyId: string): Promise<unknown> {
    return (await this.oid4vci.issuerFor(agencyId)).service.credentialIssuerMetadata();
  }

  @Get('.well-known/oauth-authorization-server/oid4vci/:agencyId')
  @ApiOperation({ summary: 'Authorization server metadata of an agency' })
  async authorizationServerMetadata(@Param('agencyId') agencyId: string): Promise<unknown> {
    return (await this.oid4vci.issuerFor(agencyId)).service.authorizationServerMetadata();
  }

  @Get('oid4vci/:agencyId/offers/:reference')
  @ApiOperation({
    summary: 'A credential offer by reference (the credential_offer_uri of an offer QR code, OID4VCI 1.0 §4.1.3)',
    description:
      'The Credential Offer object while the offer can be redeemed; 404 `offer_not_found` once it was used or expired (or for an unknown reference). ' +
      'Fetching spends nothing: the token endpoint redeems the code once.',
  })
  async offer(@Param('agencyId') agencyId: string, @Param('reference') reference: string, @Res() res: Response): Promise<void> {
    const { service } = await this.oid4vci.issuerFor(agencyId);
    send(res, await service.handleOfferRequest(reference));
  }

  @Post('oid4vci/:agencyId/token')
  // Unauthenticated: small. OAuth 2.0 token requests are form-encoded (RFC 6749 § 4.1.3).
  @BodyLimit('8kb', { form: true })
  @ApiOperation({ summary: 'Token endpoint (application/x-www-form-urlencoded, pre-authorized code grant)' })
  async token(@Param('agencyId') agencyId: string, @Headers() headers: Record<string, string>, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const { service } = await this.oid4vci.issuerFor(agencyId);
    send(res, await service.handleToken({ headers, body: body as Record<string, string> }));
  }

  @Post('oid4vci/:agencyId/nonce')
  @ApiOperation({ summary: 'Nonce endpoint' })
  async nonce(@Param('agencyId') agencyId: string, @Res() res: Response): Promise<void> {
    const { service } = await this.oid4vci.issuerFor(agencyId);
    send(res, await service.handleNonce());
  }

  @Post('oid4vci/:agencyId/credential')
  // A credential request is a few names and its key proofs: up to OID4VCI_BATCH_SIZE JWTs of about 1 kB.
  @BodyLimit('64kb')
  @ApiOperation({
    summary: 'Credential endpoint (Bearer access token, jwt key proofs)',
    description:
      'An SD-JWT VC (`dc+sd-jwt`) request may carry up to `batch_credential_issuance.batch_size` proofs in `proofs.jwt`, each of its own key and ' +
      'all answering one c_nonce, and gets one unlinkable copy per key in `credentials`; a JWT VC request carries one proof.',
  })
  @ApiBody({ schema: { type: 'object' } })
  async credential(@Param('agencyId') agencyId: string, @Headers() headers: Record<string, string>, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const { agency, service } = await this.oid4vci.issuerFor(agencyId);
    send(res, await service.handleCredential({ headers, body }, this.oid4vci.issueCallback(agency)));
  }
}
