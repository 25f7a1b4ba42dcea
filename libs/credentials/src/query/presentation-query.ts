import { isBrokenEthrDid, parseEthrDid } from '../did/ethr-did.js';
import type { ProblemCode } from '../verification/problem-codes.js';
import type { VerifiedCredentialSummary } from '../verification/types.js';
import { DCQL_PATH_LIMITS, claimPathText, type RequestedClaim } from './claim-path.js';
import { matchCredential, type RequestedCredential } from './match.js';

export type { RequestedCredential };

/** What a verifier asks a holder to present. */
export interface PresentationQuery {
  credentials: RequestedCredential[];
}

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

/** JSON Schema (ajv) of a {@link PresentationQuery}: what `POST /presentations/verify` accepts as `options.query`. */
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

/** Where a requested claim sits in a verified credential, for problem paths: a JWT VC's subject, an SD-JWT's top level. */
function claimLocation(credential: VerifiedCredentialSummary, claim: RequestedClaim): string {
  const base = credential.format === 'dc+sd-jwt' ? credential.path : `${credential.path}.credentialSubject`;
  const text = claimPathText(claim);
  return text.startsWith('[') ? `${base}${text}` : `${base}.${text}`;
}

/**
 * Checks that the verified credentials answer the query: a credential of each requested type, from an
 * accepted issuer, holding every requested claim (disclosed claims only: a summary holds nothing else). The
 * rule is {@link matchCredential}, the wallet's too. Returns the problems (empty when satisfied).
 */
export function queryProblems(
  query: PresentationQuery,
  credentials: VerifiedCredentialSummary[],
  sameDid: (a: string, b: string) => boolean,
): Array<{ code: ProblemCode; message: string; path: string }> {
  const problems: Array<{ code: ProblemCode; message: string; path: string }> = [];
  query.credentials.forEach((requested, j) => {
    const path = `query.credentials[${j}]`;
    const outcomes = credentials.map((c) => ({ c, outcome: matchCredential(requested, c, sameDid) }));
    const ofType = outcomes.filter(({ outcome }) => outcome.ok || outcome.reason !== 'type');
    if (ofType.length === 0) {
      problems.push({ code: 'requested_credential_missing', message: `no verified ${requested.type} was presented`, path });
      return;
    }
    const trusted = ofType.filter(({ outcome }) => outcome.ok || outcome.reason === 'claims');
    if (trusted.length === 0) {
      problems.push({ code: 'issuer_not_trusted', message: `no ${requested.type} from an issuer the request accepts`, path: ofType[0].c.path });
      return;
    }
    if (trusted.some(({ outcome }) => outcome.ok)) return;
    const missingBy = trusted.map(({ outcome }) => (outcome.ok ? [] : outcome.reason === 'claims' ? outcome.missing : []));
    const best = missingBy.reduce((a, b) => (b.length < a.length ? b : a));
    const credential = trusted[missingBy.indexOf(best)].c;
    for (const claim of best) {
      problems.push({
        code: 'requested_claim_missing',
        message: `the ${requested.type} does not hold the requested claim ${claimPathText(claim)}`,
        path: claimLocation(credential, claim),
      });
    }
  });
  return problems;
}
