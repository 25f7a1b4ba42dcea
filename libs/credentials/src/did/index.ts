/** did:ethr identities: parsing that never throws, the resolver set-up, the DID mirror (keys as of any block), DID comparison. */
export * from './resolver.js';
export * from './ethr-did.js';
export * from './did-mirror.js';
export * from './same-did.js';
