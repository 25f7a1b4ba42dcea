/** Moved to status/status-codec.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../status/status-codec.js';
