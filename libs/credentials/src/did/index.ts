/** did:ethr identities: parsing that never throws, the resolver set-up, the DID mirror (keys as of any block), DID comparison, ERC-1056 key roles and signed calls. */
export * from './resolver.js';
export * from './ethr-did.js';
export * from './did-mirror.js';
export * from './same-did.js';
export * from './erc1056.js';
