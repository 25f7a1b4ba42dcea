import { isBrokenEthrDid, parseEthrDid } from '../../did/ethr-did.js';
import { sameDid } from '../../did/same-did.js';
import { decodeJwt, pinnedResolver, verifyJwtSignature, type DecodedJwt } from '../../verification/jwt.js';
import { keyRevocationProblem } from '../../verification/key-revocation.js';
import type { VerificationContext } from '../../verification/types.js';
import type { CredentialFormatProvider, FormatOutcome, FormatProblem, HolderExpectation } from '../types.js';
import { jwtOf, readCredentialPayload, type CredentialPayloadView } from './payload.js';
import { issueJwtVc, presentJwtVc } from './sign.js';

/** Media-type-free identifier of W3C VCDM 1.1 credentials as JWTs (OID4VCI 1.0 Appendix A.1.1). */
export const JWT_VC_FORMAT = 'jwt_vc_json' as const;

/**
 * `jwt_vc_json`: a W3C VC (VCDM 1.1 §6.3.1) as a JWS signed ES256K by the agency's did:ethr, held by a did:ethr
 * subject. Everything here is what it was before formats were providers: the same checks, codes and messages.
 */
export const jwtVcProvider: CredentialFormatProvider = {
  format: JWT_VC_FORMAT,
  issue: issueJwtVc,
  present: presentJwtVc,

  // The format of last resort: a compact JWS (no `~`) or Veramo's `{proof: {jwt}}`, and anything that is neither
  // gets this format's answer (`jwt_malformed`), as before SD-JWT VCs were accepted.
  detect(input: unknown): boolean {
    const jwt = jwtOf(input);
    return typeof jwt !== 'string' || !jwt.includes('~');
  },

  async check(input: unknown, ctx: VerificationContext, holder: HolderExpectation): Promise<FormatOutcome> {
    const decoded = decodeJwt(jwtOf(input));
    if (!decoded.ok) return { format: [{ code: decoded.code, message: decoded.message }] };
    const read = readCredentialPayload(decoded.decoded);
    if (!read.ok) return { format: [{ code: read.code, message: read.message, ...(read.path ? { path: read.path } : {}) }] };
    const view = read.view;

    const issuerDid = parseEthrDid(view.issuer, ctx.chainId);
    const signature: FormatProblem[] = issuerDid.ok
      ? await checkIssuerSignature(decoded.decoded, view, ctx)
      : isBrokenEthrDid(issuerDid.reason)
        ? [{ code: 'did_invalid', message: `the issuer DID is broken: ${issuerDid.message}` }]
        : [{ code: 'did_unresolvable', message: `the issuer must be a did:ethr identity on chain ${ctx.chainId}` }];
    if (signature.length > 0 || !issuerDid.ok) return { format: [], signature };

    const holderBinding: FormatProblem[] | undefined =
      holder.did === undefined
        ? undefined
        : sameDid(view.subject, holder.did, ctx.chainId)
          ? []
          : [{ code: 'holder_mismatch', message: 'the credential was issued to another subject than the presentation holder' }];
    return {
      format: [],
      signature,
      ...(holderBinding ? { holderBinding } : {}),
      view: {
        format: JWT_VC_FORMAT,
        issuer: view.issuer,
        issuerAddress: issuerDid.address,
        type: view.typeName,
        issuedAt: view.notBefore,
        ...(view.expires !== undefined ? { validUntil: view.expires } : {}),
        statusEntries: view.credentialStatus,
        schema: view.credentialSchema,
        schemaPath: 'credentialSchema',
        claimsPath: 'credentialSubject',
        claims: view.claims,
        selective: false,
        summary: {
          path: '',
          ...(view.id ? { id: view.id } : {}),
          type: view.typeName,
          issuer: view.issuer,
          subject: view.subject,
          issuanceDate: new Date(view.notBefore * 1000).toISOString(),
          ...(view.expires !== undefined ? { expirationDate: new Date(view.expires * 1000).toISOString() } : {}),
          claims: view.claims,
        },
      },
    };
  },
};

/**
 * The issuer's signature, checked with the issuer's keys as they were at issuance (`nbf`): the DID document
 * is resolved at the last block mined at or before that time. An honest credential therefore survives a later
 * ERC-1056 owner change, and a rotated-out key cannot sign a credential dated after the rotation.
 *
 * A header `kid` must name a key of that document, and the signature must verify with that key. `nbf` is chosen
 * by the signer: whoever steals a key could back-date credentials to a time it was in force, so a key the issuer
 * revoked on chain fails every credential it signed (`issuer_key_revoked`, from `ctx.keyRevocations`).
 */
async function checkIssuerSignature(decoded: DecodedJwt, view: CredentialPayloadView, ctx: VerificationContext): Promise<FormatProblem[]> {
  let block: number;
  try {
    block = await ctx.blocks.blockAt(view.notBefore);
  } catch {
    return [{ code: 'did_unresolvable', message: 'the chain could not be read to resolve the issuer DID' }];
  }
  const outcome = await verifyJwtSignature(decoded, pinnedResolver(ctx.resolver, view.issuer, block), 'assertionMethod', ctx.signatures);
  if (outcome.ok) {
    const revoked = await keyRevocationProblem(ctx, view.issuer, outcome.signer, block);
    return revoked ? [revoked] : [];
  }
  return outcome.reason === 'did_unresolvable'
    ? [{ code: 'did_unresolvable', message: outcome.message }]
    : [{ code: 'credential_signature_invalid', message: 'the credential signature does not match the issuer key in force at issuance' }];
}
