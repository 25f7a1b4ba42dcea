export * from './problem-codes.js';
export * from './types.js';
export * from './jwt.js';
export * from './limits.js';
export { checkCredential, verifyCredential, sameDid, type CheckCredentialOptions } from './verify-credential.js';
export * from './verify-presentation.js';
export { NativeSignatureVerifier } from './native-signature.js';
