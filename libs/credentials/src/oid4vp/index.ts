/** OpenID for Verifiable Presentations 1.0: callbacks of `@openid4vc/openid4vp`, and one presentation verifier per format. */
export { RESPONSE_ENCRYPTION, addressOfKey, oid4vpCallbacks, secp256k1PrivateJwk, signEs256k, type Oid4vpCallbackOptions } from './callbacks.js';
export { PRESENTATION_FORMAT_VERIFIERS, type PresentationFormatVerifier } from './presentation-formats.js';
