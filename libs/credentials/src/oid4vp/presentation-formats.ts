import type { DcqlFormat } from '../query/dcql.js';
import { verifyPresentation, verifyPresentations } from '../verification/verify-presentation.js';
import type { VerificationContext, VerificationResult } from '../verification/types.js';

/**
 * One function per credential format a DCQL query may ask for: (presentation, expected nonce, expected audience =
 * client_id) → the pipeline's result (its format providers do the checks).
 */
export type PresentationFormatVerifier = (presentation: unknown, expected: { nonce: string; audience: string }, ctx: VerificationContext) => Promise<VerificationResult>;

/** `jwt_vc_json`: a VP-JWT (OID4VP 1.0 Appendix B.1.3.1): the VP `nonce` and `aud` are the request's. */
const jwtVcJson: PresentationFormatVerifier = (presentation, expected, ctx) =>
  verifyPresentation(presentation, { challenge: expected.nonce, domain: expected.audience }, ctx);

/**
 * `dc+sd-jwt` with a Key Binding JWT (OID4VP 1.0 Appendix B.3.6): the KB-JWT's nonce and aud are the request's.
 * The pipeline's SD-JWT VC provider does every check (issuer key at issuance, disclosures, key binding, validity,
 * schema of what was disclosed, status, accreditation).
 */
const dcSdJwt: PresentationFormatVerifier = (presentation, expected, ctx) =>
  typeof presentation === 'string'
    ? verifyPresentations({ sdJwtPresentations: [presentation] }, { challenge: expected.nonce, domain: expected.audience }, ctx)
    : Promise.resolve({
        verified: false,
        checks: [{ check: 'credential_format', status: 'failed', path: 'vp_token' }],
        problems: [{ code: 'sd_jwt_malformed', message: 'a dc+sd-jwt presentation is a string', path: 'vp_token' }],
        credentials: [],
      });

/** The presentation verifier of each format a DCQL query may ask for. */
export const PRESENTATION_FORMAT_VERIFIERS: Record<DcqlFormat, PresentationFormatVerifier> = {
  jwt_vc_json: jwtVcJson,
  'dc+sd-jwt': dcSdJwt,
};
