/** `jwt_vc_json`: W3C VCDM 1.1 credentials as JWTs, signed by the agency's did:ethr (ES256K). */
export { jwtVcProvider, JWT_VC_FORMAT } from './provider.js';
export { readCredentialPayload, vcdmProblem, hasEntry, jwtOf, VCDM_V1_CONTEXT, type CredentialPayloadView } from './payload.js';
export { readPresentation, MAX_CREDENTIALS_PER_PRESENTATION, type ReadPresentation } from './presentation.js';
export * from './credential.js';
