import { PRESENTATION_QUERY_SCHEMA, type PresentationQuery } from '../../../../../libs/credentials/src/index.js';

/** Body of `POST /presentation-requests`. */
export interface CreatePresentationRequestBody {
  query: PresentationQuery;
}

/** JSON Schema of {@link CreatePresentationRequestBody} (validation and OpenAPI). */
export const CREATE_PRESENTATION_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['query'],
  properties: { query: PRESENTATION_QUERY_SCHEMA },
  example: {
    query: {
      credentials: [
        { type: 'NationalIdCredential', claims: ['name', 'birthDate'] },
        { type: 'EducationCredential', claims: ['degree'], issuers: ['did:ethr:0x7a69:0x0000000000000000000000000000000000000001'] },
      ],
    },
  },
} as const;

/** OpenAPI schema of a presentation request as returned (a wallet, calling without a key, gets the required fields only). */
export const PRESENTATION_REQUEST_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['id', 'challenge', 'domain', 'query', 'expiresAt', 'state'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    challenge: { type: 'string', description: '256-bit random, base64url: the VP `nonce`. Single use.' },
    domain: { type: 'string', description: 'The VP `aud`.' },
    query: PRESENTATION_QUERY_SCHEMA,
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    state: { type: 'string', enum: ['pending', 'completed', 'expired'] },
    completedAt: { type: 'string', format: 'date-time' },
    result: {
      type: 'object',
      description:
        'Only for the account that made the request, until retention ends. `completed`: the result of the presentation that ' +
        'used the challenge; `pending`: of the latest attempt that answered the challenge but failed (the challenge stays open).',
    },
    resultAt: { type: 'string', format: 'date-time' },
  },
} as const;
