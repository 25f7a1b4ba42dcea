import type { VerificationResult } from '../../../../../libs/credentials/src/index.js';

/** Body of `POST /oid4vp/requests`. */
export interface CreateOid4vpRequestBody {
  /** A DCQL query (OpenID4VP 1.0 §6): formats `dc+sd-jwt` and `jwt_vc_json`. */
  dcql_query: unknown;
  /** Why the verifier asks, shown by the wallet beside the purpose registered on chain. */
  purpose?: { 'zh-CN': string; en: string };
  /** @default 'direct_post' */
  response_mode?: 'direct_post' | 'direct_post.jwt';
}

const TEXT = { type: 'string', minLength: 1, maxLength: 500 } as const;

export const CREATE_OID4VP_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['dcql_query'],
  properties: {
    dcql_query: { type: 'object', description: 'DCQL query (OpenID4VP 1.0 §6); checked by the dcql library and against the registration on chain.' },
    purpose: { type: 'object', additionalProperties: false, required: ['zh-CN', 'en'], properties: { 'zh-CN': TEXT, en: TEXT } },
    response_mode: { type: 'string', enum: ['direct_post', 'direct_post.jwt'], description: '`direct_post.jwt`: the response is encrypted to a key of this request (ECDH-ES, A128GCM/A256GCM).' },
  },
  example: {
    dcql_query: {
      credentials: [
        { id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: ['urn:govcred:vct:NationalIdCredential:1'] }, claims: [{ path: ['age_over_18'] }] },
      ],
    },
    response_mode: 'direct_post.jwt',
  },
} as const;

/** What `POST /oid4vp/requests` answers. */
export interface CreatedOid4vpRequest {
  id: string;
  /** `openid4vp://?client_id=…&request_uri=…`: for a QR code or a link. */
  authorizationRequestUri: string;
  expiresAt: string;
}

export const CREATED_OID4VP_REQUEST_SCHEMA = {
  type: 'object',
  required: ['id', 'authorizationRequestUri', 'expiresAt'],
  properties: { id: { type: 'string', format: 'uuid' }, authorizationRequestUri: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
} as const;

/** An OpenID4VP request as the account that made it reads it. */
export interface Oid4vpRequestView {
  id: string;
  status: 'pending' | 'verified' | 'refused' | 'expired';
  createdAt: string;
  expiresAt: string;
  /** The verification of the response (present once answered, until retention ends). */
  result?: VerificationResult;
}

export const OID4VP_REQUEST_VIEW_SCHEMA = {
  type: 'object',
  required: ['id', 'status', 'createdAt', 'expiresAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['pending', 'verified', 'refused', 'expired'] },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    result: { type: 'object', description: '{verified, checks, problems, credentials}: per check, with stable problem codes.' },
  },
} as const;
