import { isBrokenEthrDid, parseEthrDid, subjectDidProblem } from '../did/ethr-did.js';
import { GovcredError } from '../errors.js';
import { decodeJwt } from '../verification/jwt.js';
import { JWT_LIMITS } from '../verification/limits.js';
import { errorResponse, invalidToken, jsonResponse, libraryErrorResponse, toHeaders, type Oid4vciRequest, type Oid4vciResponse } from './http.js';
import type { IssuerContext } from './issuer-context.js';
import { causedBy } from './library.js';
import { DidResolutionUnavailableError } from './proof-verifier.js';
import { hashSecret } from './secrets.js';

/** What the hosting service gets to issue one credential, after the token and the holder's proof checked out. */
export interface IssueCredentialInput {
  /** The `context` given to `createOffer`. */
  context: unknown;
  /** The DID whose key signed the proof: the credential's subject. */
  holderDid: string;
  configurationId: string;
  /** The catalog type of the configuration. */
  type: string;
}

/** Signs the credential: returns the VC-JWT. Throw a 4xx {@link GovcredError} to refuse (`credential_request_denied`). */
export type IssueCredential = (input: IssueCredentialInput) => Promise<string>;

/**
 * The key proof's JWT read before the library sees it: its size first (JWT_LIMITS.proofJwtLength, nesting
 * and values), then the algorithm and any critical extension (RFC 7515 §4.1.11), in linear time; then the
 * holder DID its `kid` names, which must be one the issuer may issue to. The reason why not, or undefined.
 */
function proofProblem(ctx: IssuerContext, proof: unknown): string | undefined {
  const decoded = decodeJwt(proof, JWT_LIMITS.proofJwtLength);
  if (!decoded.ok) return `the key proof is not a usable signed JWT: ${decoded.message}`;
  const kid = decoded.decoded.header.kid;
  if (typeof kid !== 'string') return undefined; // the library refuses a proof without a DID kid in its own words
  const hash = kid.indexOf('#');
  const did = hash < 0 ? kid : kid.slice(0, hash);
  if (ctx.holderChainId !== undefined) {
    const problem = subjectDidProblem(did, ctx.holderChainId);
    return problem && `subject_did_invalid: ${problem}`;
  }
  const parsed = parseEthrDid(did);
  return !parsed.ok && isBrokenEthrDid(parsed.reason) ? `subject_did_invalid: ${parsed.message}` : undefined;
}

/**
 * Credential endpoint (OID4VCI 1.0 §8): bearer token → request → holder proof → nonce → issue. The token is
 * checked first but spent only once the proof is good, so a wallet told `invalid_nonce` retries with a fresh
 * nonce and the same token (§8.3.1.2); it is given back if issuing fails on our side.
 */
export async function handleCredentialRequest(ctx: IssuerContext, request: Oid4vciRequest, issue: IssueCredential): Promise<Oid4vciResponse> {
  const now = ctx.clock();
  const authorization = toHeaders(request.headers).get('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (!match) return invalidToken('a Bearer access token is required');
  const tokenHash = hashSecret(match[1]);
  const token = await ctx.store.findAccessToken(tokenHash);
  if (!token || token.credentialIssuer !== ctx.credentialIssuer) return invalidToken('unknown access token');
  if (token.usedAt) return invalidToken('the access token was already used');
  if (token.expiresAt.getTime() <= now.getTime()) return invalidToken('the access token expired');

  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorResponse(400, 'invalid_credential_request', 'the credential request must be a JSON object');
  const fields = body as Record<string, unknown>;
  const configurationId = fields.credential_configuration_id;
  if (fields.credential_identifier !== undefined) return errorResponse(400, 'unknown_credential_identifier', 'credential identifiers are not used by this issuer');
  if (typeof configurationId !== 'string') return errorResponse(400, 'invalid_credential_request', 'credential_configuration_id is required');
  if (!Object.hasOwn(ctx.configurations, configurationId)) return errorResponse(400, 'unknown_credential_configuration', 'unknown credential configuration');
  if (configurationId !== token.configurationId) return errorResponse(403, 'insufficient_scope', 'the access token was not issued for this credential configuration');
  // The library's request schema rejects an unsigned (`alg: none`, empty signature) JWT as a malformed
  // *request*; it is a bad key proof (§8.3.1.2), so that is what we answer.
  const proofs = (fields.proofs as { jwt?: unknown } | undefined)?.jwt;
  if (!Array.isArray(proofs) || proofs.length === 0) return errorResponse(400, 'invalid_proof', 'one jwt key proof is required in proofs.jwt');
  if (proofs.length > 1) return errorResponse(400, 'invalid_credential_request', 'this issuer issues one credential per request: send one proof');
  const problem = proofProblem(ctx, proofs[0]);
  if (problem) return errorResponse(400, 'invalid_proof', problem);

  try {
    const parsed = ctx.library.parseCredentialRequest({ issuerMetadata: ctx.issuerMetadata, credentialRequest: fields });
    const jwt = parsed.proofs?.jwt?.[0];
    if (!jwt) return errorResponse(400, 'invalid_proof', 'one jwt key proof is required in proofs.jwt');
    const { payload, signer } = await ctx.library.verifyCredentialRequestJwtProof({ issuerMetadata: ctx.issuerMetadata, jwt, now });
    if (signer.method !== 'did') return errorResponse(400, 'invalid_proof', 'the key proof must name a DID key in kid');
    if (typeof payload.nonce !== 'string') return errorResponse(400, 'invalid_proof', 'the key proof has no c_nonce');
    if (!(await ctx.store.consumeNonce(payload.nonce, ctx.credentialIssuer, now))) {
      return errorResponse(400, 'invalid_nonce', 'the c_nonce is unknown, used or expired: get a new one from the nonce endpoint');
    }
    if (!(await ctx.store.consumeAccessToken(tokenHash, now))) return invalidToken('the access token was already used');

    const holderDid = signer.didUrl.slice(0, signer.didUrl.indexOf('#'));
    let credential: string;
    try {
      credential = await issue({ context: token.context, holderDid, configurationId, type: ctx.configurations[configurationId].type });
    } catch (error) {
      if (error instanceof GovcredError && error.httpStatus < 500) return errorResponse(400, 'credential_request_denied', error.message);
      await ctx.store.releaseAccessToken(tokenHash);
      ctx.onError('issuing a credential failed', error);
      return errorResponse(500, 'server_error', 'the credential could not be issued now: try again later');
    }
    return jsonResponse(200, ctx.library.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] }));
  } catch (error) {
    if (causedBy(error, DidResolutionUnavailableError)) return errorResponse(503, 'server_error', 'the holder DID could not be resolved now: try again later');
    const response = libraryErrorResponse(error);
    if (response) return response;
    throw error;
  }
}
