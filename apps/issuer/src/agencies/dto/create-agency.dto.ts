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

  @ApiProperty({
    example: '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4',
    description:
      "Address of the identity's ERC-1056 owner: governance's offline key (or a multisig contract). It alone can change the " +
      "agency's keys and create lists; the issuer never holds it and relays the calls it signs.",
  })
  ownerAddress!: string;
}

export const CREATE_AGENCY_SCHEMA: JSONSchemaType<CreateAgencyDto> = {
  type: 'object',
  properties: {
    nameZh: { type: 'string', minLength: 1, maxLength: 200 },
    nameEn: { type: 'string', minLength: 1, maxLength: 200 },
    credentialTypes: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, maxItems: 20, uniqueItems: true },
    ownerAddress: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' },
  },
  required: ['nameZh', 'nameEn', 'credentialTypes', 'ownerAddress'],
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
  /** The identity's ERC-1056 owner (governance); null for an agency created before key roles. */
  ownerAddress: string | null;
  /** Address of the current signing key (of the owner key for an agency created before key roles). */
  keyAddress: string;
  /** DID URL of the current signing key: the `kid` header of the credentials it signs. */
  signingKeyId: string | null;
  /** Address of the `govcred/statusWriter` delegate that sends status writes. */
  writerAddress: string | null;
  statusLists: { revocation: number; suspension: number; superseded?: number; encumbered?: number };
  createdAt: string;
}
