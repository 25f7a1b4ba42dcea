/**
 * The holder's side of credentials, framework-free so the CLI and web wallets stay I/O only: views of held
 * credentials (selection, presentation and consent receipts join here).
 */
export { sdJwtVcClaimView, type SdJwtVcClaimView, type HeldClaim } from './sd-jwt-view.js';
