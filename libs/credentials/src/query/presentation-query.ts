import { DCQL_PATH_LIMITS, type RequestedClaim } from './claim-path.js';
import { DCQL_FORMATS, DCQL_LIMITS } from './dcql.js';

/**
 * The VC-API `options.query` of `POST /presentations/verify`: a DCQL query (OpenID4VP 1.0 §6), or the request
 * shape the verifier took before DCQL, which {@link readPresentationQuery} translates to DCQL. Both are judged by
 * the one DCQL matcher the wallet uses too.
 */

/** One credential a query in the original shape asks for. */
export interface RequestedCredential {
  /** Credential type name, e.g. `NationalIdCredential`. */
  type: string;
  /**
   * Claims that must be present in the credential: dotted names (`address.city`) or DCQL claims paths
   * (`["coOwners", null, "name"]`).
   */
  claims?: RequestedClaim[];
  /** Trust policy: accepted issuer DIDs. Any accredited issuer when absent. */
  issuers?: string[];
}

/** A query in the original shape: types, claims, accepted issuers. */
export interface LegacyPresentationQuery {
  credentials: RequestedCredential[];
}

/** What a verifier asks a holder to present: a DCQL query, or the original shape. */
export type PresentationQuery = LegacyPresentationQuery | { credentials: Array<Record<string, unknown>>; [member: string]: unknown };

/** Limits of a query, shared by the verifier's request validation and the JSON Schema below. */
export const QUERY_LIMITS = { credentials: 10, claims: 50, issuers: 50, nameLength: 200 } as const;

/** A DCQL claims path in a query: member names, array indexes, `null` for every element (see claim-path.ts). */
const DCQL_PATH_SCHEMA = {
  type: 'array',
  minItems: 1,
  maxItems: DCQL_PATH_LIMITS.segments,
  items: {
    oneOf: [
      { type: 'string', pattern: '^[A-Za-z0-9_]+$', maxLength: DCQL_PATH_LIMITS.segmentLength },
      { type: 'integer', minimum: 0, maximum: DCQL_PATH_LIMITS.index },
      { type: 'null' },
    ],
  },
} as const;

/** JSON Schema (ajv) of a {@link LegacyPresentationQuery}. */
export const PRESENTATION_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['credentials'],
  properties: {
    credentials: {
      type: 'array',
      minItems: 1,
      maxItems: QUERY_LIMITS.credentials,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$', maxLength: QUERY_LIMITS.nameLength },
          claims: {
            type: 'array',
            maxItems: QUERY_LIMITS.claims,
            uniqueItems: true,
            items: {
              oneOf: [{ type: 'string', pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$', maxLength: QUERY_LIMITS.nameLength }, DCQL_PATH_SCHEMA],
            },
          },
          issuers: {
            type: 'array',
            minItems: 1,
            maxItems: QUERY_LIMITS.issuers,
            uniqueItems: true,
            items: { type: 'string', pattern: '^did:[a-z0-9]+:\\S+$', maxLength: QUERY_LIMITS.nameLength },
          },
        },
      },
    },
  },
} as const;

/**
 * The outline of a DCQL query as JSON Schema: a credentials array of objects with an `id` and a govcred format.
 * The rest is the `dcql` library's to validate (parseDcqlQuery), answered with 400 `invalid_request` too.
 */
export const DCQL_QUERY_SCHEMA = {
  type: 'object',
  required: ['credentials'],
  properties: {
    credentials: {
      type: 'array',
      minItems: 1,
      maxItems: DCQL_LIMITS.credentials,
      items: {
        type: 'object',
        required: ['id', 'format'],
        properties: { id: { type: 'string', maxLength: QUERY_LIMITS.nameLength }, format: { enum: [...DCQL_FORMATS] } },
      },
    },
  },
} as const;

/** What `POST /presentations/verify` accepts as `options.query`: a DCQL query or the original shape. */
export const VC_API_QUERY_SCHEMA = { oneOf: [DCQL_QUERY_SCHEMA, PRESENTATION_QUERY_SCHEMA] } as const;
