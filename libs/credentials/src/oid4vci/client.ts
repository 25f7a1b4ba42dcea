import { Oauth2ClientErrorResponseError, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciRetrieveCredentialsError, type IssuerMetadataResult, type Openid4vciClient } from '@openid4vc/openid4vci';
import { base64urlToText } from '../bytes.js';
import { GovcredError } from '../errors.js';
import { decodeSdJwtVc } from '../formats/sd-jwt-vc/decode.js';
import type { EcPublicJwk } from '../formats/sd-jwt-vc/holder-key.js';
import { clientError, libraryClient, oauthDetails, resolveOffer, type Oid4vciClientNetwork, type ResolvedOffer } from './client-offer.js';
import { OID4VCI_PROOF_ALG, OID4VCI_SD_JWT_FORMAT, type Oid4vciFormat } from './metadata.js';
import { recoverSecp256k1Jwk, secp256k1Jwk } from './secp256k1-jwk.js';

/** Signs the holder's key proof: returns the compact JWS of exactly this header and payload (e.g. the wallet's `Holder.signJwt`). */
export type SignProofJwt = (header: Record<string, unknown>, payload: Record<string, unknown>) => Promise<string>;

/** What the wallet gives to receive a credential. */
export interface ReceiveCredentialOptions extends Oid4vciClientNetwork {
  /** The offer as scanned or pasted, or one already read with {@link resolveOffer}. */
  offer: string | ResolvedOffer;
  /** The transaction code (PIN), when the offer needs one. */
  txCode?: string;
  /** `jwt_vc_json` offers: the holder's did:ethr, the credential's subject. */
  holderDid?: string;
  /** Fragment of the holder's key in its DID document. @default 'controller' */
  keyFragment?: string;
  /**
   * `dc+sd-jwt` offers: the holder's public key, sent as the proof's `jwk` header to become `cnf.jwk`, and the
   * algorithm `signProofJwt` signs with (ES256 for P-256, ES256K for secp256k1).
   */
  holderKey?: { jwk: EcPublicJwk; alg: 'ES256' | 'ES256K' };
  /**
   * `dc+sd-jwt` offers, instead of `holderKey`: one distinct key per copy wanted (OID4VCI 1.0 §8.2 batch
   * issuance). Only the first `batchSize` of the offer are used; `signProofJwt` signs each proof with the key
   * its header's `jwk` names.
   */
  holderKeys?: Array<{ jwk: EcPublicJwk; alg: 'ES256' | 'ES256K' }>;
  /** Signs the key proof with the holder DID's key, or with the private key of the header's `jwk`. */
  signProofJwt: SignProofJwt;
  clock?: () => Date;
}

/** A received credential, with what the wallet shows about it. */
export interface ReceivedCredential {
  /** The VC-JWT, or the (first) SD-JWT VC (with all its disclosures). */
  credential: string;
  /**
   * Every credential received: one for `jwt_vc_json` and single-key requests; for a batch, one copy per key
   * the issuer chose to bind (at most one per key), with the index of its key in `holderKeys`.
   */
  copies: Array<{ credential: string; keyIndex: number }>;
  format: Oid4vciFormat;
  configurationId: string;
  type: string;
  credentialIssuer: string;
  issuerDisplay: ResolvedOffer['issuerDisplay'];
  credentialDisplay: ResolvedOffer['credentialDisplay'];
}

/**
 * Runs the wallet side of the pre-authorized code flow (OID4VCI 1.0 §3.5): offer → metadata → token (with the
 * transaction code) → nonce → key proof signed by the holder's DID key → credential, all through
 * @openid4vc/openid4vci's client. Retries once with a fresh nonce on `invalid_nonce` (§8.3.1.2). Checks that
 * the credential is a JWT VC of the offered type about the holder.
 * @throws GovcredError `offer_invalid`, `tx_code_required`, `offer_rejected` (used, expired, wrong PIN),
 * `credential_rejected`, `service_unreachable` or `issuer_response_invalid`; `details.error` carries the
 * issuer's OAuth error code when it gave one.
 */
export async function receiveCredential(options: ReceiveCredentialOptions): Promise<ReceivedCredential> {
  const resolved = typeof options.offer === 'string' ? await resolveOffer(options.offer, options) : options.offer;
  if (resolved.txCode && !options.txCode) throw new GovcredError('tx_code_required', 'this offer needs the transaction code the agency gave you');
  const signers = proofSigners(resolved, options);
  const client = libraryClient(options, async (signer, { header, payload }) => {
    const jwt = await options.signProofJwt(header, payload);
    return { jwt, signerJwk: signer.method === 'jwk' ? signer.publicJwk : holderJwk(options.holderDid!, jwt) };
  });
  const clock = options.clock ?? (() => new Date());
  const { issuerMetadata, offer, configurationId } = resolved;

  let accessToken: string;
  try {
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata, txCode: options.txCode });
    accessToken = accessTokenResponse.access_token;
  } catch (error) {
    if (error instanceof Oauth2ClientErrorResponseError && ['invalid_grant', 'invalid_request'].includes(error.errorResponse.error)) {
      throw new GovcredError('offer_rejected', 'the issuer refused the offer', oauthDetails(error.errorResponse, error.response.status), { cause: error });
    }
    throw clientError(error, 'issuer_response_invalid', 'the issuer did not grant an access token');
  }

  for (let attempt = 1; ; attempt++) {
    try {
      const credentials = await requestCredentials(client, issuerMetadata, configurationId, accessToken, signers, clock());
      const copies =
        resolved.format === OID4VCI_SD_JWT_FORMAT
          ? matchCopies(credentials, resolved.vct!, signers.map((s) => (s as { publicJwk: EcPublicJwk }).publicJwk))
          : [{ credential: checkCredential(credentials[0]!, resolved.type, options.holderDid!), keyIndex: 0 }];
      return {
        credential: copies[0]!.credential,
        copies,
        format: resolved.format,
        configurationId,
        type: resolved.type,
        credentialIssuer: resolved.credentialIssuer,
        issuerDisplay: resolved.issuerDisplay,
        credentialDisplay: resolved.credentialDisplay,
      };
    } catch (error) {
      if (!(error instanceof Openid4vciRetrieveCredentialsError)) throw clientError(error, 'issuer_response_invalid', 'the credential could not be obtained');
      if (error.response.credentialResponseResult) throw new GovcredError('issuer_response_invalid', 'the credential response is malformed', undefined, { cause: error });
      const body = error.response.credentialErrorResponseResult?.data ?? { error: error.response.wwwAuthenticate?.[0]?.error ?? 'unknown_error' };
      if (body.error === 'invalid_nonce' && attempt === 1) continue;
      throw new GovcredError('credential_rejected', 'the issuer refused the credential request', oauthDetails(body, error.response.response.status), { cause: error });
    }
  }
}

/** One request with one proof per signer, all answering one c_nonce; the credentials of the response (§8.3). */
async function requestCredentials(
  client: Openid4vciClient,
  issuerMetadata: IssuerMetadataResult,
  credentialConfigurationId: string,
  accessToken: string,
  signers: JwtSigner[],
  issuedAt: Date,
): Promise<string[]> {
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const jwts: string[] = [];
  for (const signer of signers) jwts.push((await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId, signer, nonce: c_nonce, issuedAt })).jwt);
  const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, accessToken, credentialConfigurationId, proofs: { jwt: jwts } });
  const entries = credentialResponse.credentials ?? (credentialResponse.credential !== undefined ? [credentialResponse.credential] : []);
  const credentials = entries.map((entry) => (typeof entry === 'object' && entry !== null && 'credential' in entry ? entry.credential : entry));
  if (credentials.length === 0 || credentials.length > signers.length || credentials.some((c) => typeof c !== 'string')) {
    throw new GovcredError('issuer_response_invalid', 'the issuer did not return one JWT credential per key');
  }
  return credentials as string[];
}

/**
 * The key proofs' signers: the holder DID's key for `jwt_vc_json`, the holder key(s) as a `jwk` for `dc+sd-jwt`
 * (a batch: the first `batchSize` of `holderKeys`).
 */
function proofSigners(resolved: ResolvedOffer, options: ReceiveCredentialOptions): JwtSigner[] {
  if (resolved.format === OID4VCI_SD_JWT_FORMAT) {
    const keys = options.holderKeys ?? (options.holderKey ? [options.holderKey] : []);
    if (keys.length === 0) throw new GovcredError('invalid_request', 'a dc+sd-jwt offer needs a holder key (holderKey or holderKeys)');
    return keys.slice(0, resolved.batchSize).map((key) => {
      if (!resolved.proofAlgs.includes(key.alg)) throw new GovcredError('offer_invalid', `the issuer does not accept ${key.alg} key proofs`);
      return { method: 'jwk', publicJwk: { ...key.jwk }, alg: key.alg };
    });
  }
  if (!options.holderDid) throw new GovcredError('invalid_request', 'a jwt_vc_json offer needs the holder DID (holderDid)');
  return [{ method: 'did', didUrl: `${options.holderDid}#${options.keyFragment ?? 'controller'}`, alg: OID4VCI_PROOF_ALG }];
}

/** Each copy must be an SD-JWT VC of the offered vct bound to one of the keys the wallet proved, no two to one key. */
function matchCopies(credentials: string[], vct: string, keys: EcPublicJwk[]): Array<{ credential: string; keyIndex: number }> {
  const taken = new Set<number>();
  return credentials.map((credential) => {
    const keyIndex = boundKey(credential, vct, keys);
    if (taken.has(keyIndex)) throw new GovcredError('issuer_response_invalid', 'two copies are bound to one key');
    taken.add(keyIndex);
    return { credential, keyIndex };
  });
}

/** The index of the holder key the SD-JWT VC is bound to (`cnf.jwk`); it must be of the offered vct. */
function boundKey(credential: string, vct: string, keys: EcPublicJwk[]): number {
  const decoded = decodeSdJwtVc(credential);
  if (!decoded) throw new GovcredError('issuer_response_invalid', 'the credential is not an SD-JWT VC');
  const bound = decoded.holderKey;
  const index = bound ? keys.findIndex((jwk) => bound.crv === jwk.crv && bound.x === jwk.x && bound.y === jwk.y) : -1;
  if (decoded.vct !== vct || index < 0) throw new GovcredError('issuer_response_invalid', 'the credential is not the one offered to this holder key', { vct });
  return index;
}

/** The credential must be a VC-JWT of the offered type whose subject is the holder: what the wallet asked for. */
function checkCredential(credential: string, type: string, holderDid: string): string {
  let payload: Record<string, unknown>;
  try {
    // Read only, to check it is what was offered: the verifier checks its signature when it is presented.
    const parts = credential.split('.');
    if (parts.length !== 3) throw new TypeError('not a compact JWS');
    payload = JSON.parse(base64urlToText(parts[1]!)) as Record<string, unknown>;
    if (typeof payload !== 'object' || payload === null) throw new TypeError('the payload is not an object');
  } catch (cause) {
    throw new GovcredError('issuer_response_invalid', 'the credential is not a JWT', undefined, { cause });
  }
  const vc = payload.vc as { type?: unknown; credentialSubject?: { id?: unknown } } | undefined;
  const subject = payload.sub ?? vc?.credentialSubject?.id;
  if (!Array.isArray(vc?.type) || !vc.type.includes(type) || subject !== holderDid) {
    throw new GovcredError('issuer_response_invalid', 'the credential is not the one offered to this holder', { type, holderDid });
  }
  return credential;
}

/** The holder key's JWK for the library (used only with key attestations): from a public-key DID, or recovered. */
function holderJwk(holderDid: string, jwt: string) {
  const id = holderDid.split(':').pop() ?? '';
  const jwk = /^0x[0-9a-fA-F]{66}$/.test(id) ? secp256k1Jwk(id) : /^0x[0-9a-fA-F]{40}$/.test(id) ? recoverSecp256k1Jwk(jwt, id) : undefined;
  if (!jwk) throw new GovcredError('invalid_request', 'the holder DID must be a did:ethr of the signing key');
  return jwk;
}
