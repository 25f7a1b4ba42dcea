/** Moved to trust/trust-mirror.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../trust/trust-mirror.js';
