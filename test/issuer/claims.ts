import { SAMPLE_CLAIMS } from '../../scripts/lib/sample-claims.js';

/** Valid sample claims per catalog type. */
export const CLAIMS: Record<string, Record<string, unknown>> = SAMPLE_CLAIMS;

/** A VC-API issue request for `type` to `subject`. */
export function issueRequest(type: string, subject: string, claims: Record<string, unknown> = CLAIMS[type]) {
  return { credential: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', type], credentialSubject: { id: subject, ...claims } } };
}

/** A holder DID on the test chain (address form). */
export function holderDid(i: number): string {
  return `did:ethr:0x7a69:0x${(0x1000 + i).toString(16).padStart(40, '0')}`;
}
