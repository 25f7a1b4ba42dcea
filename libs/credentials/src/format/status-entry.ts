/** Moved to status/status-entry.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../status/status-entry.js';
