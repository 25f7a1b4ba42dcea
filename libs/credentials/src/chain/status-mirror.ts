/** Moved to status/status-mirror.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../status/status-mirror.js';
