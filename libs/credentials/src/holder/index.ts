/**
 * The holder's side of credentials, framework-free so the CLI and web wallets stay I/O only: views of held
 * credentials, OpenID4VP requests read and checked against the chain, the presentation plan, the response, and
 * consent receipts.
 */
export { sdJwtVcClaimView, type SdJwtVcClaimView, type HeldClaim } from './sd-jwt-view.js';
export { resolveOid4vpRequest, type WalletOid4vpRequest, type RequestProblemCode, type ResolveRequestOutcome, type ResolveRequestOptions } from './oid4vp-request.js';
export {
  checkRegistration,
  planPresentation,
  type WalletRefusalCode,
  type RegistrationSource,
  type RegistrationCheck,
  type HeldForPresentation,
  type PlannedPresentation,
  type PresentationPlan,
} from './oid4vp-consent.js';
export { submitOid4vpResponse, type SubmitOutcome, type SubmitOptions } from './oid4vp-response.js';
export { entriesStatus, withValidity, type HeldStatus, type StatusLookup } from './held-status.js';
export { consentReceipt, receiptHistory, type ConsentReceipt, type ReceiptOutcome, type ReceiptText } from './consent-receipt.js';
export { chainNow, syncedMirror, type WalletRpc } from './chain-reads.js';
export { isLoopbackOffer, isLoopbackUrl } from './loopback.js';
