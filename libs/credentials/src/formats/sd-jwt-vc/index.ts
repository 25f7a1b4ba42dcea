/**
 * SD-JWT VC (`dc+sd-jwt`; RFC 9901 Selective Disclosure for JWTs + draft-ietf-oauth-sd-jwt-vc): issue with
 * every personal and derived claim selectively disclosable, present a subset with a Key Binding JWT, and
 * verify without ever throwing. Framework-free; keys, clocks and key resolution are passed in.
 */
export { issueSdJwtVc, type IssueSdJwtVcInput, type JwsSigner } from './issue.js';
export { presentSdJwtVc, type PresentSdJwtVcOptions, type DcqlClaimPath } from './present.js';
export { verifySdJwtVc, type VerifySdJwtVcOptions, type SdJwtVcVerification, type SdJwtVcView } from './verify.js';
export { decodeSdJwtVc, type DecodedSdJwtVc } from './decode.js';
export { holderJwk, verifyEs256kByAddress, type EcPublicJwk, type IssuerKey } from './keys.js';
export {
  SD_JWT_VC_TYP,
  KB_JWT_TYP,
  ISSUER_ALGS,
  HOLDER_CURVES,
  STATUS_MEMBER,
  SCHEMA_CLAIM,
  DEFAULT_LIMITS as SD_JWT_DEFAULT_LIMITS,
  type SdJwtLimits,
} from './constants.js';
