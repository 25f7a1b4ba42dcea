/**
 * Trust on chain: issuers accredited per credential type (TrustRegistry, its client and mirror), and beyond issuers: verifiers registered by governance for the claims they may ask for, why, and
 * when (contracts/VerifierRegistry.sol), with a writer and a mirror that answers without an RPC per question.
 */
export * from './trust-registry.js';
export * from './trust-mirror.js';
export * from './claim-path.js';
export * from './verifier-abi.js';
export * from './verifier-registry.js';
export * from './verifier-scope.js';
export * from './verifier-mirror.js';
