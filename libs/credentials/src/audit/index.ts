/** Audit logs anchored on chain: entry hashes, the RFC 9162 Merkle tree, the AuditAnchor contract, export checks. */
export * from './abi.js';
export * from './entry.js';
export * from './merkle.js';
export * from './anchors.js';
export * from './export-check.js';
