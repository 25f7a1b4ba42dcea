/**
 * OpenID for Verifiable Credential Issuance 1.0 (pre-authorized code flow, `jwt_vc_json` and `dc+sd-jwt`), both sides, on
 * @openid4vc/openid4vci: {@link Oid4vciIssuerService} for the issuer service, {@link receiveCredential} for
 * wallets.
 */
export { Oid4vciIssuerService, type Oid4vciIssuerOptions, type CreateOfferInput, type CreatedOffer, type OfferDelivery } from './issuer.js';
export type { IssueCredential, IssueCredentialInput } from './credential-endpoint.js';
export type { Oid4vciRequest, Oid4vciResponse, Oid4vciRequestHeaders, Oid4vciErrorCode } from './http.js';
export type { Oid4vciStore, StoredOffer, StoredNonce, StoredAccessToken } from './store.js';
export { MemoryOid4vciStore } from './memory-store.js';
export {
  OID4VCI_FORMAT,
  OID4VCI_SD_JWT_FORMAT,
  OID4VCI_JWK_PROOF_ALGS,
  OID4VCI_PROOF_ALG,
  type Oid4vciFormat,
  PRE_AUTHORIZED_CODE_GRANT,
  oid4vciEndpoints,
  credentialIssuerMetadata,
  authorizationServerMetadata,
  type Oid4vciDisplay,
  type Oid4vciConfiguration,
  type Oid4vciEndpoints,
} from './metadata.js';
export { resolveOffer, type ResolvedOffer, type Oid4vciClientNetwork, type Oid4vciCredentialDisplay } from './client-offer.js';
export { receiveCredential, type ReceiveCredentialOptions, type ReceivedCredential, type SignProofJwt } from './client.js';
export { jwkProofProblem, holderKeyProblem } from './jwk-proof.js';
export { allowInsecureLibraryUrls } from './library.js';
