import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import type { OfferDelivery } from '../../../../../libs/credentials/src/index.js';
import { OFFER_FORMATS } from '../offer-formats.js';
import type { CredentialFormat } from '../../credentials/dto/issue-credential.dto.js';
import type { CreatedOffer } from './create-offer.dto.js';

/** Most offers in one request: the portal sends a class in such chunks and shows the progress between them. */
export const MAX_OFFERS_PER_REQUEST = 200;

/** Body of `POST /oid4vci/offers/bulk`: one type and format, one row of claims per citizen. */
export class CreateOffersDto {
  @ApiProperty({ example: 'EducationCredential' })
  type!: string;

  @ApiPropertyOptional({ default: 'jwt_vc_json' })
  format?: CredentialFormat;

  @ApiPropertyOptional({ default: true, description: 'A PIN per offer (handed to each citizen another way)' })
  txCode?: boolean;

  @ApiPropertyOptional({ description: 'Offer lifetime in seconds (at most 7 days)', default: 900 })
  expiresInSeconds?: number;

  @ApiPropertyOptional({ enum: ['reference', 'value'], default: 'reference', description: 'How each `offerUri` carries its offer (see POST /oid4vci/offers)' })
  delivery?: OfferDelivery;

  @ApiProperty({ description: `1–${MAX_OFFERS_PER_REQUEST} rows of claims, each checked on its own` })
  items!: Array<{ claims: Record<string, unknown> }>;
}

export const CREATE_OFFERS_SCHEMA: JSONSchemaType<CreateOffersDto> = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'items'],
  properties: {
    type: { type: 'string', maxLength: 100 },
    format: { type: 'string', enum: OFFER_FORMATS.map((f) => f.id), nullable: true },
    txCode: { type: 'boolean', nullable: true },
    expiresInSeconds: { type: 'integer', minimum: 60, maximum: 7 * 86_400, nullable: true },
    delivery: { type: 'string', enum: ['reference', 'value'], nullable: true },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_OFFERS_PER_REQUEST,
      items: { type: 'object', additionalProperties: false, required: ['claims'], properties: { claims: { type: 'object', required: [] } } },
    },
  },
};

/** One row's outcome, by its position in the request. */
export interface OfferResult {
  position: number;
  offer?: CreatedOffer;
  error?: { code: string; message: string; details?: unknown };
}
