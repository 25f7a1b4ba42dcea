import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import type { OfferDelivery } from '../../../../../libs/credentials/src/index.js';
import { OFFER_FORMATS } from '../offer-formats.js';

/** Body of `POST /oid4vci/offers`. */
export interface CreateOfferBody {
  type: string;
  format?: 'jwt_vc_json' | 'dc+sd-jwt';
  claims: Record<string, unknown>;
  txCode?: boolean;
  expiresInSeconds?: number;
  expirationDate?: string;
  copiesOf?: string;
  transferOf?: string;
  delivery?: OfferDelivery;
}

export class CreateOfferDto implements CreateOfferBody {
  @ApiProperty({ description: 'Catalog credential type the agency may issue', example: 'EducationCredential' })
  type!: string;

  @ApiPropertyOptional({
    description:
      'Credential format: `jwt_vc_json` (configuration `<type>_jwt`, bound to the wallet\'s did:ethr) or `dc+sd-jwt` ' +
      '(configuration `<type>_sd_jwt`, an SD-JWT VC bound to the key of the wallet\'s jwk proof)',
    default: 'jwt_vc_json',
    enum: OFFER_FORMATS.map((f) => f.id),
  })
  format?: 'jwt_vc_json' | 'dc+sd-jwt';

  @ApiProperty({ description: 'Claims about the citizen (credentialSubject without id), validated against the type schema now' })
  claims!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Protect the offer with a transaction code (PIN) to hand to the citizen out of band', default: false })
  txCode?: boolean;

  @ApiPropertyOptional({ description: 'Offer lifetime in seconds (at most 7 days)', default: 900 })
  expiresInSeconds?: number;

  @ApiPropertyOptional({ description: 'Expiration of the credential, when the type does not derive one from its claims' })
  expirationDate?: string;

  @ApiPropertyOptional({
    description:
      'A refill: more unlinkable copies of this issued SD-JWT VC (its id, `urn:uuid:…`; format `dc+sd-jwt`, state active) for a wallet that ' +
      'used up its copies. The claims must be the credential\'s; the new copies join its record, so a status change reaches them too.',
  })
  copiesOf?: string;

  @ApiPropertyOptional({
    description:
      'A title transfer (不动产转移登记) by offer: the id of the agency\'s active property title certificate (`urn:uuid:…`) the new one replaces. ' +
      'The claims are the new certificate\'s, of the same type; the format must be `jwt_vc_json` (a continued title is a JWT VC). When the new ' +
      'owner\'s wallet redeems the offer, the title is transferred to the DID it proved, as by `POST /credentials/:id/transfer`: the new ' +
      'certificate issued and the old one superseded in one step. Until then nothing changes; a title transferred, mortgaged or otherwise ' +
      'changed meanwhile is refused then (`credential_request_denied`).',
  })
  transferOf?: string;

  @ApiPropertyOptional({
    description:
      '`reference`: `offerUri` carries a `credential_offer_uri` (about 180 characters, a QR code phones read easily) and the wallet fetches the ' +
      'offer. `value`: the whole offer in `offerUri` (~500–700 characters), for a wallet that does not fetch offers.',
    enum: ['reference', 'value'],
    default: 'reference',
  })
  delivery?: OfferDelivery;
}

export const CREATE_OFFER_SCHEMA: JSONSchemaType<CreateOfferBody> = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'claims'],
  properties: {
    type: { type: 'string', maxLength: 100 },
    format: { type: 'string', enum: OFFER_FORMATS.map((f) => f.id), nullable: true },
    claims: { type: 'object', required: [] },
    txCode: { type: 'boolean', nullable: true },
    expiresInSeconds: { type: 'integer', minimum: 60, maximum: 7 * 86_400, nullable: true },
    expirationDate: { type: 'string', format: 'date-time', nullable: true },
    copiesOf: { type: 'string', maxLength: 45, nullable: true },
    transferOf: { type: 'string', maxLength: 45, nullable: true },
    delivery: { type: 'string', enum: ['reference', 'value'], nullable: true },
  },
};

/** What the agency gets back: the offer to show as a QR code, and the PIN to send another way. */
export interface CreatedOffer {
  offerUri: string;
  credentialIssuer: string;
  txCode?: string;
  expiresAt: string;
}
