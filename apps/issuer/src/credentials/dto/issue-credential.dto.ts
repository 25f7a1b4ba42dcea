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

/** Credential formats the issuer signs. */
export const CREDENTIAL_FORMATS = ['jwt_vc_json', 'dc+sd-jwt'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

/** VC-API `options` of an issue request (bulk items take the same). */
export interface IssueOptions {
  /** @default 'jwt_vc_json' */
  format?: CredentialFormat;
  /** `dc+sd-jwt` only, required there: the holder's public key (P-256 or secp256k1 EC JWK), the credential's `cnf.jwk`. */
  holderJwk?: Record<string, unknown>;
}

/** Body of `POST /credentials/issue`. */
export class IssueCredentialDto {
  @ApiProperty({
    description:
      'Unsigned credential: `type` names one catalog type, `credentialSubject.id` is the holder DID (required for jwt_vc_json, ' +
      'optional for dc+sd-jwt; an address-form did:ethr on the issuer\'s chain, else 400 `subject_did_invalid`), the other ' +
      'subject fields are the claims (validated against the type schema). `issuer`, if given, must be the calling agency DID. ' +
      'Issuance date, id, schema and status are set by the issuer.',
    example: {
      type: ['VerifiableCredential', 'EducationCredential'],
      credentialSubject: { id: 'did:ethr:0x7a69:0x…', degree: '…' },
    },
  })
  credential!: CredentialRequest;

  @ApiPropertyOptional({
    description:
      '`format`: `jwt_vc_json` (default: a W3C VC JWT about the subject DID) or `dc+sd-jwt` (an SD-JWT VC, every claim selectively ' +
      'disclosable, bound to `holderJwk`). `holderJwk` (dc+sd-jwt only, required there): the holder\'s public P-256 or secp256k1 EC JWK ' +
      '(no private members), which becomes `cnf.jwk`. Both formats are signed ES256K with the agency key and carry the same two on-chain status entries.',
    example: { format: 'dc+sd-jwt', holderJwk: { kty: 'EC', crv: 'P-256', x: '…', y: '…' } },
  })
  options?: IssueOptions;
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

/** `options`: other VC-API options pass (and are ignored), as before formats existed. */
export const ISSUE_OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: [...CREDENTIAL_FORMATS] },
    holderJwk: { type: 'object' },
  },
  additionalProperties: true,
} as unknown as JSONSchemaType<IssueOptions>;

export const ISSUE_CREDENTIAL_SCHEMA = {
  type: 'object',
  properties: {
    credential: CREDENTIAL_REQUEST_SCHEMA,
    options: { ...ISSUE_OPTIONS_SCHEMA, nullable: true },
  },
  required: ['credential'],
  additionalProperties: false,
} as unknown as JSONSchemaType<IssueCredentialDto>;
