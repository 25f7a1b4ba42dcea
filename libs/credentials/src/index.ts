/**
 * govcred's framework-free core: chain clients, status lists, errors.
 * Takes what it needs as parameters (providers, signers, clocks) and never reads `process.env`.
 */
export * from './errors.js';
export * from './chain/abi.js';
export * from './chain/address.js';
export * from './chain/provider.js';
export * from './chain/log-scanner.js';
export * from './chain/status-codec.js';
export * from './chain/status-writer.js';
export * from './chain/status-mirror.js';
export * from './chain/trust-registry.js';
export * from './did/resolver.js';
export * from './did/ethr-did.js';
export * from './did/did-mirror.js';
export * from './format/status-entry.js';
export * from './format/credential.js';
export * from './chain/revert.js';
export * from './chain/trust-mirror.js';
export * from './chain/block-at-time.js';
export * from './verification/index.js';
export * from './catalog/index.js';
export * from './oid4vci/index.js';
export * from './chain/chain-follower.js';
export * from './trust/index.js';
export * from './formats/index.js';
export * from './query/index.js';
export * from './holder/select-credentials.js';
export * from './audit/index.js';
export * from './status/index.js';
export * from './certificates/index.js';
