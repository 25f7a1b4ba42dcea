/** Moved to formats/jwt-vc/credential.ts (capability folders); kept so code written against the old path still compiles. */
export * from '../formats/jwt-vc/credential.js';
