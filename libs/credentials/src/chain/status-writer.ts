/** Moved to status/status-writer.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../status/status-writer.js';
