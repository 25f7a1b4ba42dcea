import { GovcredError } from '../../errors.js';
import type { FormatIssueInput, FormatIssued, FormatPresentInput } from '../types.js';
import { issueSdJwtVc } from './issue.js';
import { presentSdJwtVc } from './present.js';

const wholeSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/**
 * Signs a `dc+sd-jwt` credential: `iss` the agency DID, `kid` its key, derived claims added, every claim
 * selectively disclosable, the status entries in `status`, holder binding by `cnf.jwk`. Valid from issuance
 * (`nbf` = `iat`, as a JWT VC's `issuanceDate`); times in whole seconds, as JWT times are.
 * @throws GovcredError invalid_request for a title that continues another (its record is carried by JWT VCs only)
 */
export async function issueSdJwtVcCredential(input: FormatIssueInput): Promise<FormatIssued> {
  if (input.titleRecord?.predecessor !== undefined) throw new GovcredError('invalid_request', 'a transferred title is issued as a JWT VC');
  const now = wholeSeconds(input.now);
  const credential = await issueSdJwtVc({
    type: input.type,
    claims: input.claims,
    issuerDid: input.issuerDid,
    kid: input.kid ?? `${input.issuerDid}#controller`,
    signer: input.signer,
    holderJwk: input.holder.jwk,
    statusEntries: input.statusEntries,
    validFrom: now,
    validUntil: input.validUntil,
    now,
  });
  return { credential, issuedAt: iso(now), expiresAt: input.validUntil ? iso(wholeSeconds(input.validUntil)) : null };
}

/** Only the asked claims disclosed, with a Key Binding JWT signed by the `cnf` key on the nonce and audience (RFC 9901 §4.3). */
export function presentSdJwtVcCredential(credential: string, input: FormatPresentInput): Promise<string> {
  return presentSdJwtVc(credential, {
    claimPaths: input.claimPaths,
    nonce: input.nonce,
    audience: input.audience,
    holderAlg: input.holder.alg,
    holderSigner: input.holder.sign,
    now: input.now,
  });
}
