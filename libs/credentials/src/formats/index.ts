/**
 * Credential formats as providers in a list: each reads its input into a common {@link CredentialView},
 * checks the issuer signature with the key in force at issuance and the holder binding; the pipeline
 * (verification/) runs every later check once over the view.
 */
export type {
  CredentialFormatId,
  CredentialFormatProvider,
  CredentialView,
  FormatOutcome,
  FormatProblem,
  HolderExpectation,
  FormatIssueInput,
  FormatIssued,
  FormatPresentInput,
} from './types.js';
export { CREDENTIAL_FORMATS, providerFor, formatProvider } from './registry.js';
export * from './jwt-vc/index.js';
export * from './sd-jwt-vc/index.js';
export { sdJwtVcProvider } from './sd-jwt-vc/provider.js';
