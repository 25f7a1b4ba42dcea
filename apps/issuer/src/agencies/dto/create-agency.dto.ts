import { ApiProperty } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';

/** Body of `POST /admin/agencies`. */
export class CreateAgencyDto {
  @ApiProperty({ example: '某市公安局' })
  nameZh!: string;

  @ApiProperty({ example: 'City Public Security Bureau' })
  nameEn!: string;

  @ApiProperty({ example: ['NationalIdCredential'], description: 'Credential types from GET /credential-types' })
  credentialTypes!: string[];
}

export const CREATE_AGENCY_SCHEMA: JSONSchemaType<CreateAgencyDto> = {
  type: 'object',
  properties: {
    nameZh: { type: 'string', minLength: 1, maxLength: 200 },
    nameEn: { type: 'string', minLength: 1, maxLength: 200 },
    credentialTypes: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, maxItems: 20, uniqueItems: true },
  },
  required: ['nameZh', 'nameEn', 'credentialTypes'],
  additionalProperties: false,
};

/** Public view of an agency (no key material, no API key hash). */
export interface AgencyView {
  id: string;
  did: string;
  nameZh: string;
  nameEn: string;
  credentialTypes: string[];
  identityAddress: string;
  keyAddress: string;
  statusLists: { revocation: number; suspension: number; superseded?: number; encumbered?: number };
  createdAt: string;
}
