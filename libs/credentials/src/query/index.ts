/**
 * One query matcher for the wallet and the verifier: DCQL (OpenID4VP 1.0 §6) on the `dcql` library. OpenID4VP
 * requests carry DCQL; the VC-API `options.query` takes DCQL or its original shape, translated to DCQL.
 */
export * from './claim-path.js';
export * from './presentation-query.js';
export { readPresentationQuery, presentationQueryErrors, type ReadPresentationQuery, type QueryEntry, type QueryError } from './read-query.js';
export { queryProblems } from './request-check.js';
export {
  DCQL_FORMATS,
  DCQL_LIMITS,
  matchDcql,
  parseDcqlQuery,
  requestedScopes,
  selectForDcql,
  unansweredDcqlQueries,
  type DcqlCandidate,
  type DcqlFormat,
  type DcqlMatches,
  type DcqlSelection,
  type ParsedDcqlQuery,
  type RequestedCredentialScope,
} from './dcql.js';
