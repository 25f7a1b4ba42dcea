import { isBrokenEthrDid, parseEthrDid, subjectDidProblem } from '../did/ethr-did.js';
import { GovcredError } from '../errors.js';
import { ALLOWED_JWT_ALGS, decodeJwt } from '../verification/jwt.js';
import { JWT_LIMITS } from '../verification/limits.js';
import { holderJwk, type EcPublicJwk } from '../formats/sd-jwt-vc/index.js';
import { errorResponse, invalidToken, jsonResponse, libraryErrorResponse, toHeaders, type Oid4vciRequest, type Oid4vciResponse } from './http.js';
import type { IssuerContext } from './issuer-context.js';
import { causeOf } from './library.js';
import { jwkProofProblem } from './jwk-proof.js';
import { OID4VCI_SD_JWT_FORMAT, type Oid4vciFormat } from './metadata.js';
import { DidResolutionUnavailableError } from './proof-verifier.js';
import { hashSecret } from './secrets.js';

/** What the hosting service gets to issue one credential, after the token and the holder's proofs checked out. */
export interface IssueCredentialInput {
  /** The `context` given to `createOffer`. */
  context: unknown;
  configurationId: string;
  /** The catalog type of the configuration. */
  type: string;
  /** The configuration's format. */
  format: Oid4vciFormat;
  /** `jwt_vc_json`: the DID whose key signed the proof, the credential's subject. */
  holderDid?: string;
  /** `dc+sd-jwt`: the public key the (first) proof's `jwk` header carried and that signed it: the credential's `cnf.jwk`. */
  holderJwk?: EcPublicJwk;
  /**
   * `dc+sd-jwt`: every proven key, distinct, in the order of `proofs.jwt` (the first is `holderJwk`): one copy of
   * the credential per key (OID4VCI 1.0 §8.2, batch issuance).
   */
  holderJwks?: EcPublicJwk[];
}

/**
 * Signs the credential: returns the VC-JWT, or the SD-JWT VC copies, one per key of `holderJwks` in its order
 * (fewer is allowed: OID4VCI 1.0 §8.3 lets an issuer issue fewer credentials than keys). Throw a 4xx
 * {@link GovcredError} to refuse (`credential_request_denied`).
 */
export type IssueCredential = (input: IssueCredentialInput) => Promise<string | string[]>;

/** Key-proof algorithms: the verifier's, plus ES256 for the P-256 holder keys of `dc+sd-jwt` credentials. */
const PROOF_ALGS: readonly string[] = [...ALLOWED_JWT_ALGS, 'ES256'];

/**
 * The key proof's JWT read before the library sees it: its size first (JWT_LIMITS.proofJwtLength, nesting
 * and values), then the algorithm and any critical extension (RFC 7515 §4.1.11), in linear time; then the key
 * it binds to: for `dc+sd-jwt` a public `jwk` on the curve its `alg` signs with (so the wallet is told what is
 * wrong with its key: the library's callback can only say "not verified"), otherwise the holder DID its `kid`
 * names, which must be one the issuer may issue to. The reason why not, or undefined.
 */
function proofPreflightProblem(ctx: IssuerContext, proof: unknown, format: Oid4vciFormat): string | undefined {
  const decoded = decodeJwt(proof, JWT_LIMITS.proofJwtLength, PROOF_ALGS);
  if (!decoded.ok) return `the key proof is not a usable signed JWT: ${decoded.message}`;
  if (format === OID4VCI_SD_JWT_FORMAT) {
    const { alg, jwk } = decoded.decoded.header;
    if (jwk === undefined) return 'a dc+sd-jwt credential is bound to a key: the proof must carry it in a jwk header';
    return jwkProofProblem(alg, jwk);
  }
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

/** Tolerated clock difference for a key proof's `iat` in the future. */
const PROOF_CLOCK_SKEW_SECONDS = 60;

/**
 * Checks of a key proof the library leaves to the issuer (OID4VCI 1.0 §8.2.1.1, Appendix F.1, F.4): no
 * critical extension (RFC 7515 §4.1.11: we understand none), `iat` fresh (not older than a nonce lives, not in
 * the future), and the key type the configuration binds to: a did:ethr `kid` for `jwt_vc_json`, a public
 * `jwk` on the curve of its `alg` for `dc+sd-jwt` (a did:ethr address names no key for `cnf.jwk`).
 */
function proofProblem(ctx: IssuerContext, format: Oid4vciFormat, proof: { header: Record<string, unknown>; payload: Record<string, unknown> }, method: string, now: Date): string | undefined {
  const { header, payload } = proof;
  // Refused before the library already (decodeJwt): kept so this check stands on its own.
  if (header.crit !== undefined) return 'the key proof names critical extensions this issuer does not understand';
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + PROOF_CLOCK_SKEW_SECONDS) return 'the key proof iat is missing or in the future';
  if (payload.iat < nowSeconds - ctx.nonceTtlSeconds - PROOF_CLOCK_SKEW_SECONDS) return 'the key proof is stale (iat too old)';
  if (format === OID4VCI_SD_JWT_FORMAT) {
    if (method !== 'jwk') return 'a dc+sd-jwt credential is bound to a key: the proof must carry it in a jwk header';
    return jwkProofProblem(header.alg, header.jwk);
  }
  return method === 'did' ? undefined : 'the key proof must name a DID key in kid';
}

/**
 * Credential endpoint (OID4VCI 1.0 §8): bearer token → request → holder proofs → nonce → issue. The token is
 * checked first but spent only once the proofs are good, so a wallet told `invalid_nonce` retries with a fresh
 * nonce and the same token (§8.3.1.2); it is given back if issuing fails on our side. A `dc+sd-jwt` request may
 * carry up to `batchSize` proofs, each of its own key, and gets one copy per key (`credentials` array, §8.3).
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
  if (!Array.isArray(proofs) || proofs.length === 0) return errorResponse(400, 'invalid_proof', 'at least one jwt key proof is required in proofs.jwt');
  const format = ctx.configurations[configurationId].format ?? 'jwt_vc_json';
  if (format !== OID4VCI_SD_JWT_FORMAT && proofs.length > 1) return errorResponse(400, 'invalid_credential_request', 'a jwt_vc_json credential is issued one per request: send one proof');
  if (proofs.length > ctx.batchSize) return errorResponse(400, 'invalid_credential_request', `at most ${ctx.batchSize} key proofs per request (batch_size)`);
  for (const [i, proof] of proofs.entries()) {
    const problem = proofPreflightProblem(ctx, proof, format);
    if (problem) return errorResponse(400, 'invalid_proof', proofs.length > 1 ? `key proof ${i + 1}: ${problem}` : problem);
  }

  try {
    const parsed = ctx.library.parseCredentialRequest({ issuerMetadata: ctx.issuerMetadata, credentialRequest: fields });
    const jwts = parsed.proofs?.jwt;
    if (!jwts || jwts.length !== proofs.length) return errorResponse(400, 'invalid_proof', 'every key proof in proofs.jwt must be a jwt');
    const holders = await verifyProofs(ctx, format, jwts, now);
    if ('error' in holders) return holders.error;
    // One c_nonce per request, spent once, and only after every proof verified: a bad proof among good ones
    // leaves it unspent, so the wallet can retry with the same nonce.
    if (!(await ctx.store.consumeNonce(holders.nonce, ctx.credentialIssuer, now))) {
      return errorResponse(400, 'invalid_nonce', 'the c_nonce is unknown, used or expired: get a new one from the nonce endpoint');
    }
    if (!(await ctx.store.consumeAccessToken(tokenHash, now))) return invalidToken('the access token was already used');

    let credentials: string[];
    try {
      const issued = await issue({ context: token.context, configurationId, type: ctx.configurations[configurationId].type, format, ...holders.holder });
      credentials = Array.isArray(issued) ? issued : [issued];
      if (credentials.length === 0 || credentials.length > proofs.length) throw new Error(`issue returned ${credentials.length} credentials for ${proofs.length} keys`);
    } catch (error) {
      if (error instanceof GovcredError && error.httpStatus < 500) return errorResponse(400, 'credential_request_denied', error.message);
      await ctx.store.releaseAccessToken(tokenHash);
      ctx.onError('issuing a credential failed', error);
      return errorResponse(500, 'server_error', 'the credential could not be issued now: try again later');
    }
    return jsonResponse(200, ctx.library.createCredentialResponse({ credentialRequest: parsed, credentials: credentials.map((credential) => ({ credential })) }));
  } catch (error) {
    if (causeOf(error, DidResolutionUnavailableError)) return errorResponse(503, 'server_error', 'the holder DID could not be resolved now: try again later');
    const response = libraryErrorResponse(error);
    if (response) return response;
    throw error;
  }
}

/** The holder the proofs bind to and the one c_nonce they answer, or the error response. */
type VerifiedProofs = { holder: Pick<IssueCredentialInput, 'holderDid' | 'holderJwk' | 'holderJwks'>; nonce: string } | { error: Oid4vciResponse };

/**
 * Verifies every key proof (the library: signature, `typ`, audience; then {@link proofProblem}). A batch
 * (OID4VCI 1.0 §8.2) answers one c_nonce with every proof and binds each copy to its own key: two proofs of
 * one key would give two copies a verifier could link, so they are refused (`invalid_proof`).
 */
async function verifyProofs(ctx: IssuerContext, format: Oid4vciFormat, jwts: string[], now: Date): Promise<VerifiedProofs> {
  const fail = (description: string) => ({ error: errorResponse(400, 'invalid_proof', description) });
  const nonces = new Set<unknown>();
  const keys: EcPublicJwk[] = [];
  let holderDid: string | undefined;
  for (const [i, jwt] of jwts.entries()) {
    const which = jwts.length > 1 ? `key proof ${i + 1}: ` : '';
    const { header, payload, signer } = await ctx.library.verifyCredentialRequestJwtProof({ issuerMetadata: ctx.issuerMetadata, jwt, now });
    const problem = proofProblem(ctx, format, { header, payload }, signer.method, now);
    if (problem) return fail(`${which}${problem}`);
    if (typeof payload.nonce !== 'string') return fail(`${which}the key proof has no c_nonce`);
    nonces.add(payload.nonce);
    if (signer.method === 'did') holderDid = signer.didUrl.slice(0, signer.didUrl.indexOf('#'));
    if (signer.method === 'jwk') {
      const key = holderJwk(signer.publicJwk);
      if (!key) return fail(`${which}the jwk is not a usable holder key`);
      if (keys.some((k) => k.crv === key.crv && k.x === key.x && k.y === key.y)) return fail(`${which}another key proof of this request has the same key: every copy needs its own key`);
      keys.push(key);
    }
  }
  if (nonces.size !== 1) return fail('the key proofs of one request must all answer the same c_nonce');
  const nonce = [...nonces][0] as string;
  if (holderDid !== undefined) return { holder: { holderDid }, nonce };
  return { holder: keys.length > 0 ? { holderJwk: keys[0], holderJwks: keys } : {}, nonce };
}
