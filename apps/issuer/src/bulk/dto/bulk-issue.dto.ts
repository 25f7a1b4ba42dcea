import { ApiProperty } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import { CREDENTIAL_REQUEST_SCHEMA, ISSUE_OPTIONS_SCHEMA, type CredentialRequest, type IssueOptions } from '../../credentials/dto/issue-credential.dto.js';

/** Largest bulk job. */
export const MAX_BULK_ITEMS = 10_000;

/** Body of `POST /credentials/issue/bulk`. */
export class BulkIssueDto {
  @ApiProperty({
    description: `Up to ${MAX_BULK_ITEMS} VC-API issue requests ({credential, options}, options as for POST /credentials/issue: format, holderJwk); each is checked on its own.`,
  })
  items!: Array<{ credential: CredentialRequest; options?: IssueOptions }>;
}

/** The envelope only: each item's credential is checked when it is processed, and its problems reported per item. */
export const BULK_ISSUE_SCHEMA = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: { credential: { type: 'object' }, options: { type: 'object', nullable: true } },
        required: ['credential'],
        additionalProperties: false,
      },
    },
  },
  required: ['items'],
  additionalProperties: false,
} as unknown as JSONSchemaType<BulkIssueDto>;

export { CREDENTIAL_REQUEST_SCHEMA, ISSUE_OPTIONS_SCHEMA };
