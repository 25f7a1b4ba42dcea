/**
 * Credential status on chain: the StatusRegistry's lists (revocation, suspension; for titles superseded and
 * encumbered), their encoding, writer and mirror, the status entries credentials carry, and title chains.
 */
export * from './status-codec.js';
export * from './status-writer.js';
export * from './status-mirror.js';
export * from './status-entry.js';
export * from './title-mirror.js';
