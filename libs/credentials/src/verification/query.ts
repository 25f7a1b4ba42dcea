import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import type { ProblemCode } from './problem-codes.js';
import type { VerifiedCredentialSummary } from './types.js';

/** One credential a presentation request asks for. */
export interface RequestedCredential {
  /** Credential type name, e.g. `NationalIdCredential`. */
  type: string;
  /** Claims that must be present in the credential's subject; dotted paths reach nested claims. */
  claims?: string[];
  /** Trust policy: accepted issuer DIDs. Any accredited issuer when absent. */
  issuers?: string[];
}

/** What a verifier asks a holder to present. */
export interface PresentationQuery {
  credentials: RequestedCredential[];
}

/** Limits of a query, shared by the verifier's request validation and the JSON Schema below. */
export const QUERY_LIMITS = { credentials: 10, claims: 50, issuers: 50, nameLength: 200 } as const;

/** JSON Schema (ajv) of a {@link PresentationQuery}: what `POST /presentation-requests` accepts as `query`. */
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
            items: { type: 'string', pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$', maxLength: QUERY_LIMITS.nameLength },
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
 * What the JSON Schema cannot see in a query: an accepted issuer that is a broken did:ethr (e.g. a wrong
 * EIP-55 checksum) could never match a credential, so the request is refused when it is made rather than
 * failing every presentation later. Returns the problems as `{path, message}` (JSON Pointer), empty when fine.
 */
export function presentationQueryErrors(query: PresentationQuery): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  query.credentials.forEach((requested, j) => {
    (requested.issuers ?? []).forEach((did, k) => {
      const parsed = parseEthrDid(did);
      if (!parsed.ok && isBrokenEthrDid(parsed.reason)) errors.push({ path: `/query/credentials/${j}/issuers/${k}`, message: parsed.message });
    });
  });
  return errors;
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Checks that the verified credentials answer the query: a credential of each requested type, from an
 * accepted issuer, holding every requested claim. Returns the problems (empty when satisfied).
 */
export function queryProblems(
  query: PresentationQuery,
  credentials: VerifiedCredentialSummary[],
  sameDid: (a: string, b: string) => boolean,
): Array<{ code: ProblemCode; message: string; path: string }> {
  const problems: Array<{ code: ProblemCode; message: string; path: string }> = [];
  query.credentials.forEach((requested, j) => {
    const path = `query.credentials[${j}]`;
    const ofType = credentials.filter((c) => c.type === requested.type);
    if (ofType.length === 0) {
      problems.push({ code: 'requested_credential_missing', message: `no verified ${requested.type} was presented`, path });
      return;
    }
    const trusted = requested.issuers ? ofType.filter((c) => requested.issuers!.some((d) => sameDid(d, c.issuer))) : ofType;
    if (trusted.length === 0) {
      problems.push({ code: 'issuer_not_trusted', message: `no ${requested.type} from an issuer the request accepts`, path: ofType[0].path });
      return;
    }
    const claims = requested.claims ?? [];
    const missingBy = trusted.map((c) => claims.filter((claim) => claimAt(c.claims, claim) === undefined));
    if (missingBy.some((missing) => missing.length === 0)) return;
    const best = missingBy.reduce((a, b) => (b.length < a.length ? b : a));
    const credential = trusted[missingBy.indexOf(best)];
    for (const claim of best) {
      problems.push({
        code: 'requested_claim_missing',
        message: `the ${requested.type} does not hold the requested claim ${claim}`,
        path: `${credential.path}.credentialSubject.${claim}`,
      });
    }
  });
  return problems;
}
