import { createVerifiablePresentationJwt, createVerifiableCredentialJwt } from 'did-jwt-vc';
import { schemaReference } from '../../catalog/index.js';
import type { FormatIssueInput, FormatIssued, FormatPresentInput } from '../types.js';
import { VC_CONTEXT_V1, buildCredential } from './credential.js';

/** did-jwt's signer shape over a JWS signer (did-jwt hands it the signing input as a string). */
const didJwtSigner = (sign: (input: string) => Promise<string>) => (data: string | Uint8Array) =>
  sign(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));

/**
 * Signs a `jwt_vc_json` credential (VCDM 1.1 §6.3.1) ES256K by the agency's did:ethr: the JWT
 * `agent.createVerifiableCredential({proofFormat: 'jwt', removeOriginalFields: true})` of Veramo 7 makes, byte for
 * byte (did-jwt-vc under it), with the signer passed in.
 */
export async function issueJwtVc(input: FormatIssueInput): Promise<FormatIssued> {
  if (typeof input.holder.did !== 'string') throw new TypeError('a jwt_vc_json credential is issued to a holder DID');
  const unsigned = buildCredential({
    type: input.type,
    id: input.id,
    issuerDid: input.issuerDid,
    subjectDid: input.holder.did,
    claims: input.claims,
    schema: schemaReference(input.type),
    status: input.statusEntries,
    issuanceDate: input.now,
    expirationDate: input.validUntil,
    ...(input.titleRecord ? { titleRecord: input.titleRecord } : {}),
  });
  // did-jwt-vc moves only the VCDM properties it knows into `vc`; a title record would stay a top-level JWT claim.
  const { titleRecord, ...rest } = unsigned;
  const payload = titleRecord ? { ...rest, vc: { titleRecord } } : rest;
  const credential = await createVerifiableCredentialJwt(payload as never, { did: input.issuerDid, signer: didJwtSigner(input.signer), alg: 'ES256K' }, { removeOriginalFields: true, ...(input.kid ? { header: { alg: 'ES256K', kid: input.kid } } : {}) });
  return { credential, issuedAt: unsigned.issuanceDate, expiresAt: unsigned.expirationDate ?? null };
}

/**
 * A VP-JWT of one JWT VC, signed by its holder's did:ethr key, bound to the verifier's challenge (`nonce`) and
 * domain (`aud`): the JWT Veramo 7's `createVerifiablePresentation({proofFormat: 'jwt', challenge, domain})` makes.
 * A JWT VC is shown whole: `claimPaths` do not apply.
 */
export async function presentJwtVc(credential: string, input: FormatPresentInput): Promise<string> {
  if (typeof input.holder.did !== 'string') throw new TypeError('a VP-JWT is signed by a holder DID');
  const presentation = {
    holder: input.holder.did,
    verifiableCredential: [credential],
    '@context': [VC_CONTEXT_V1],
    type: ['VerifiablePresentation'],
    issuanceDate: input.now.toISOString(),
  };
  return createVerifiablePresentationJwt(presentation, { did: input.holder.did, signer: didJwtSigner(input.holder.sign), alg: input.holder.alg }, { challenge: input.nonce, domain: input.audience });
}
