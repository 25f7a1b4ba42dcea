/**
 * The query matchers of wallet and verifier. DCQL (OpenID4VP 1.0 §6, on the `dcql` library) for OpenID4VP
 * requests; DCQL-style claim paths (`match.ts`) for the VC-API `options.query` and the shared request check.
 */
export * from './claim-path.js';
export * from './match.js';
export * from './presentation-query.js';
export {
  DCQL_FORMATS,
  DCQL_LIMITS,
  parseDcqlQuery,
  requestedScopes,
  selectForDcql,
  unansweredDcqlQueries,
  type DcqlCandidate,
  type DcqlFormat,
  type DcqlSelection,
  type ParsedDcqlQuery,
  type RequestedCredentialScope,
} from './dcql.js';
