/**
 * One query matcher for wallet and verifier (DCQL-style claims paths): whether a credential answers what a
 * presentation request asks, the request's JSON Schema and limits, and the verifier's request check.
 */
export * from './claim-path.js';
export * from './match.js';
export * from './presentation-query.js';
