/** One DCQL matcher (OpenID4VP 1.0 §6) for the wallet and the verifier. */
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
