/** Moved to trust/trust-registry.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../trust/trust-registry.js';
