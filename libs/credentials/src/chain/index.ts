/** Chain plumbing shared by every capability: ABIs, addresses, the provider, log scanning, following blocks, block times. */
export * from './abi.js';
export * from './address.js';
export * from './provider.js';
export * from './log-scanner.js';
export * from './revert.js';
export * from './block-at-time.js';
export * from './chain-follower.js';
