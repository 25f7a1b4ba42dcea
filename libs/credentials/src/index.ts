/**
 * govcred's framework-free core, one folder per capability, each with an `index.ts` that is its public API:
 * chain plumbing, status, trust, did, catalog, formats, verification, query, holder, oid4vci, audit,
 * certificates, counter checks. Takes what it needs as parameters (providers, signers, clocks) and never reads `process.env`.
 */
export * from './errors.js';
export * from './chain/index.js';
export * from './status/index.js';
export * from './trust/index.js';
export * from './did/index.js';
export * from './catalog/index.js';
export * from './formats/index.js';
export * from './verification/index.js';
export * from './query/index.js';
export * from './oid4vci/index.js';
export * from './audit/index.js';
export * from './certificates/index.js';
export * from './holder/index.js';
export * from './oid4vp/index.js';
export * from './checks/index.js';
