import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';

/** The credential part of a VC-API issue request (https://w3c-ccg.github.io/vc-api/#issue-credential). */
export interface CredentialRequest {
  '@context'?: string[];
  type: string[] | string;
  issuer?: string | { id: string };
  expirationDate?: string;
  credentialSubject: Record<string, unknown>;
}

/** Body of `POST /credentials/issue`. */
export class IssueCredentialDto {
  @ApiProperty({
    description:
      'Unsigned credential: `type` names one catalog type, `credentialSubject.id` is the holder DID (an address-form did:ethr ' +
      'on the issuer\'s chain, else 400 `subject_did_invalid`), the other subject fields are ' +
      'the claims (validated against the type schema). `issuer`, if given, must be the calling agency DID. ' +
      'Issuance date, id, schema and status are set by the issuer.',
    example: {
      type: ['VerifiableCredential', 'EducationCredential'],
      credentialSubject: { id: 'did:ethr:0x7a69:0x…', degree: '…' },
    },
  })
  credential!: CredentialRequest;

  @ApiPropertyOptional({ description: 'VC-API options (none are needed: the proof is always a JWT signed with the agency key).' })
  options?: Record<string, unknown>;
}

export const CREDENTIAL_REQUEST_SCHEMA = {
  type: 'object',
  properties: {
    '@context': { type: 'array', items: { type: 'string', maxLength: 500 }, maxItems: 10, nullable: true },
    type: {
      anyOf: [
        { type: 'string', minLength: 1, maxLength: 100 },
        { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, maxItems: 5 },
      ],
    },
    issuer: {
      anyOf: [
        { type: 'string', maxLength: 200 },
        { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
      ],
    },
    expirationDate: { type: 'string', format: 'date-time', nullable: true },
    credentialSubject: { type: 'object' },
  },
  required: ['type', 'credentialSubject'],
  additionalProperties: true,
} as unknown as JSONSchemaType<CredentialRequest>;

export const ISSUE_CREDENTIAL_SCHEMA = {
  type: 'object',
  properties: {
    credential: CREDENTIAL_REQUEST_SCHEMA,
    options: { type: 'object', nullable: true },
  },
  required: ['credential'],
  additionalProperties: false,
} as unknown as JSONSchemaType<IssueCredentialDto>;
