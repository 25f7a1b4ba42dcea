import { Oauth2AuthorizationServer, clientAuthenticationAnonymous, type AuthorizationServerMetadata, type CallbackContext } from '@openid4vc/oauth2';
import { Openid4vciIssuer, Openid4vciVersion, type CredentialIssuerMetadata, type CredentialOfferObject } from '@openid4vc/openid4vci';
import type { Resolvable } from 'did-resolver';
import { GovcredError } from '../errors.js';
import { handleCredentialRequest, type IssueCredential } from './credential-endpoint.js';
import { errorResponse, jsonResponse, type Oid4vciRequest, type Oid4vciResponse } from './http.js';
import type { IssuerContext } from './issuer-context.js';
import { allowInsecureLibraryUrls, checkIssuerUrl, generateRandom, hashCallback } from './library.js';
import {
  PRE_AUTHORIZED_CODE_GRANT,
  authorizationServerMetadata,
  credentialIssuerMetadata,
  oid4vciEndpoints,
  type Oid4vciConfiguration,
  type Oid4vciDisplay,
  type Oid4vciEndpoints,
} from './metadata.js';
import { holderProofVerifier } from './jwk-proof.js';
import { hashSecret, hashTxCode, isOfferReference, offerCodeOf, randomSecret, randomTxCode } from './secrets.js';
import type { Oid4vciStore } from './store.js';
import { handleTokenRequest } from './token-endpoint.js';

/** Settings of one credential issuer. */
export interface Oid4vciIssuerOptions {
  /**
   * Credential Issuer Identifier (OID4VCI 1.0 §12.2.1), also the authorization server's issuer. govcred uses
   * one per agency, e.g. `https://issuer.example/oid4vci/<agencyId>`: each agency is its own issuer (own DID,
   * name, accredited types), the wallet shows that name from the metadata, and a code or token of one agency
   * is worthless at another's endpoints.
   */
  credentialIssuer: string;
  /** The agency's names, e.g. `[{name: '南京市公安局', locale: 'zh-CN'}, {name: 'Nanjing PSB', locale: 'en'}]`. */
  display?: Oid4vciDisplay[];
  /** `credential_configuration_id` → catalog type. */
  configurations: Record<string, Oid4vciConfiguration>;
  store: Oid4vciStore;
  /** Resolves holder DIDs (did:ethr on the configured chain) to check their proofs. */
  resolver: Resolvable;
  /**
   * The chain a verifier checks the credentials on: a key proof must then name an address-form did:ethr of
   * this chain, the only holders a govcred verifier accepts. Another DID is refused with `invalid_proof`
   * (description `subject_did_invalid: …`) before the nonce and the access token are spent, so the wallet can
   * retry with a suitable key. Without it, any DID whose key proof verifies is accepted.
   */
  holderChainId?: number;
  clock?: () => Date;
  /** Allow a plain-http identifier (a local devnet only). @default false */
  allowHttp?: boolean;
  /** @default 900 (15 minutes) */
  defaultOfferTtlSeconds?: number;
  /** @default 300 */
  accessTokenTtlSeconds?: number;
  /** @default 300 */
  nonceTtlSeconds?: number;
  /** Wrong transaction codes after which an offer is dead. @default 5 */
  maxTxCodeFailures?: number;
  /**
   * Batch issuance (OID4VCI 1.0 §8.2, §12.2.4 `batch_credential_issuance`): a `dc+sd-jwt` credential request may
   * carry up to this many key proofs in `proofs.jwt`, one distinct holder key each, and gets one copy of the
   * credential per key, so the holder can show each copy to one verifier only. `jwt_vc_json` stays one
   * credential per request. 1 turns batches off (no `batch_credential_issuance` in the metadata).
   * @default 1
   */
  batchSize?: number;
  /** Digits of generated transaction codes. @default 6 */
  txCodeLength?: number;
  /** Told about failures on the issuer's side (the wallet only gets `server_error`). */
  onError?: (message: string, error: unknown) => void;
}

/** What an agency asks for when it makes an offer. */
export interface CreateOfferInput {
  configurationId: string;
  /** Protect the offer with a numeric transaction code (PIN), to be given to the citizen out of band. */
  txCode?: boolean;
  /** @default the issuer's `defaultOfferTtlSeconds`; at most 7 days */
  expiresInSeconds?: number;
  /** What the issuer needs later to issue (agency id, claims …); must survive JSON. */
  context: unknown;
  /**
   * How `offerUri` carries the offer (§4.1). `reference` (default): `credential_offer_uri`, a URL of about 180
   * characters that the wallet fetches (a QR code a phone reads from a screen or a letter). `value`: the whole
   * offer in `credential_offer` (~500–700 characters), for a wallet that cannot fetch offers.
   */
  delivery?: OfferDelivery;
}

export type OfferDelivery = 'reference' | 'value';

/** A new offer. `txCode` and `preAuthorizedCode` are shown once and never stored in clear. */
export interface CreatedOffer {
  /** `openid-credential-offer://?credential_offer_uri=…` (or `?credential_offer=…` by value): put it in a QR code or a link. */
  offerUri: string;
  offer: CredentialOfferObject;
  txCode?: string;
  preAuthorizedCode: string;
  expiresAt: Date;
}

const MAX_OFFER_TTL_SECONDS = 7 * 24 * 3600;
/** Copies per request at most: each costs a signature and a status index, and the request body stays small (~1 kB a proof). */
export const MAX_BATCH_SIZE = 50;

/**
 * The issuer side of OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow, `jwt_vc_json`
 * and `dc+sd-jwt`, for one credential issuer: metadata, offers, and the token, nonce and credential endpoints as functions of
 * a request that return the response to send. The protocol is @openid4vc/openid4vci's; this adds storage,
 * single use, transaction codes and holder binding. Cheap to construct (no I/O): one per agency or request.
 *
 * Access tokens are opaque 256-bit random values stored as hashes, not the library's JWTs: this service is
 * both authorization and resource server with one database, every use needs a store lookup anyway (a token
 * is good once), and the library checks JWT access tokens only by fetching a JWKS or calling an introspection
 * endpoint over HTTP. Opaque tokens need no signing key and are revoked by deleting a row.
 */
export class Oid4vciIssuerService {
  readonly endpoints: Oid4vciEndpoints;
  private readonly ctx: IssuerContext;
  private readonly metadata: CredentialIssuerMetadata;
  private readonly defaultOfferTtlSeconds: number;
  private readonly txCodeLength: number;

  constructor(options: Oid4vciIssuerOptions) {
    if (!checkIssuerUrl(options.credentialIssuer, options.allowHttp ?? false) || options.credentialIssuer.endsWith('/')) {
      throw new RangeError(`credentialIssuer must be an https URL without query, fragment or trailing slash: ${options.credentialIssuer}`);
    }
    if (options.credentialIssuer.startsWith('http:')) allowInsecureLibraryUrls();
    if (Object.keys(options.configurations).length === 0) throw new RangeError('at least one credential configuration is required');
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`);
    const callbacks: Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> = {
      hash: hashCallback,
      generateRandom,
      verifyJwt: holderProofVerifier(options.resolver),
      // Nothing here signs a JWT: no signed metadata, and access tokens are opaque (see above).
      signJwt: () => {
        throw new Error('this issuer signs no JWTs through the OID4VCI library');
      },
      clientAuthentication: clientAuthenticationAnonymous(),
    };
    const library = new Openid4vciIssuer({ callbacks });
    const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
    this.endpoints = oid4vciEndpoints(options.credentialIssuer);
    this.metadata = library.createCredentialIssuerMetadata(credentialIssuerMetadata(options.credentialIssuer, options.display ?? [], options.configurations, batchSize));
    const asMetadata: AuthorizationServerMetadata = authorizationServer.createAuthorizationServerMetadata(authorizationServerMetadata(options.credentialIssuer));
    this.defaultOfferTtlSeconds = options.defaultOfferTtlSeconds ?? 900;
    this.txCodeLength = options.txCodeLength ?? 6;
    this.ctx = {
      credentialIssuer: options.credentialIssuer,
      configurations: { ...options.configurations },
      store: options.store,
      clock: options.clock ?? (() => new Date()),
      library,
      authorizationServer,
      issuerMetadata: {
        originalDraftVersion: Openid4vciVersion.V1,
        credentialIssuer: this.metadata,
        authorizationServers: [asMetadata],
        knownCredentialConfigurations: library.getKnownCredentialConfigurationsSupported(this.metadata),
      },
      authorizationServerMetadata: asMetadata,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
      nonceTtlSeconds: options.nonceTtlSeconds ?? 300,
      maxTxCodeFailures: options.maxTxCodeFailures ?? 5,
      batchSize,
      ...(options.holderChainId !== undefined ? { holderChainId: options.holderChainId } : {}),
      onError: options.onError ?? (() => {}),
    };
  }

  /** The Credential Issuer Metadata (§12.2.4), served at `endpoints.credentialIssuerMetadata`. */
  credentialIssuerMetadata(): CredentialIssuerMetadata {
    return structuredClone(this.metadata);
  }

  /** The Authorization Server Metadata (RFC 8414), served at `endpoints.authorizationServerMetadata`. */
  authorizationServerMetadata(): AuthorizationServerMetadata {
    return structuredClone(this.ctx.authorizationServerMetadata);
  }

  /**
   * Makes a single-use credential offer (§4.1) with a fresh pre-authorized code, by reference (the code derived
   * from a random reference, see {@link offerCodeOf}) or by value.
   * @throws GovcredError `invalid_request` for a configuration this issuer does not offer or a bad lifetime.
   */
  async createOffer(input: CreateOfferInput): Promise<CreatedOffer> {
    if (!Object.hasOwn(this.ctx.configurations, input.configurationId)) {
      throw new GovcredError('invalid_request', 'unknown credential configuration', { configurationId: input.configurationId });
    }
    const ttl = input.expiresInSeconds ?? this.defaultOfferTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_OFFER_TTL_SECONDS) {
      throw new GovcredError('invalid_request', `expiresInSeconds must be an integer from 1 to ${MAX_OFFER_TTL_SECONDS}`);
    }
    const now = this.ctx.clock();
    const reference = input.delivery === 'value' ? undefined : randomSecret();
    const preAuthorizedCode = reference ? offerCodeOf(reference) : randomSecret();
    const txCode = input.txCode ? randomTxCode(this.txCodeLength) : undefined;
    const { credentialOffer, credentialOfferObject } = await this.offer(input.configurationId, preAuthorizedCode, txCode !== undefined, reference);
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    await this.ctx.store.saveOffer({
      codeHash: hashSecret(preAuthorizedCode),
      credentialIssuer: this.ctx.credentialIssuer,
      configurationId: input.configurationId,
      ...(txCode ? { txCodeHash: hashTxCode(preAuthorizedCode, txCode) } : {}),
      txCodeFailures: 0,
      createdAt: now,
      expiresAt,
      context: input.context,
    });
    return { offerUri: credentialOffer, offer: credentialOfferObject, ...(txCode ? { txCode } : {}), preAuthorizedCode, expiresAt };
  }

  /**
   * `GET endpoints.credentialOffers/<reference>` (§4.1.3): the Credential Offer object of an offer made by
   * reference, while it can still be redeemed. Any number of times (a wallet may retry, a citizen scan twice):
   * fetching spends nothing, the token endpoint's redemption is the single use. A reference that is malformed,
   * unknown, of another issuer, redeemed, expired or dead after wrong PINs gets the same 404.
   */
  async handleOfferRequest(reference: string): Promise<Oid4vciResponse> {
    const gone = errorResponse(404, 'offer_not_found', 'no offer to redeem at this address: it was used, it expired, or it never existed');
    if (typeof reference !== 'string' || !isOfferReference(reference)) return gone;
    const preAuthorizedCode = offerCodeOf(reference);
    const stored = await this.ctx.store.findOffer(hashSecret(preAuthorizedCode));
    const now = this.ctx.clock().getTime();
    if (
      !stored ||
      stored.credentialIssuer !== this.ctx.credentialIssuer ||
      stored.redeemedAt ||
      stored.expiresAt.getTime() <= now ||
      stored.txCodeFailures >= this.ctx.maxTxCodeFailures ||
      !Object.hasOwn(this.ctx.configurations, stored.configurationId)
    ) {
      return gone;
    }
    const { credentialOfferObject } = await this.offer(stored.configurationId, preAuthorizedCode, stored.txCodeHash !== undefined);
    return jsonResponse(200, credentialOfferObject as Record<string, unknown>);
  }

  /** The library's offer (object and URI) for a code; by reference when `reference` is given. */
  private offer(configurationId: string, preAuthorizedCode: string, withTxCode: boolean, reference?: string) {
    const length = this.txCodeLength;
    return this.ctx.library.createCredentialOffer({
      issuerMetadata: this.ctx.issuerMetadata,
      credentialConfigurationIds: [configurationId],
      grants: {
        [PRE_AUTHORIZED_CODE_GRANT]: {
          'pre-authorized_code': preAuthorizedCode,
          ...(withTxCode ? { tx_code: { input_mode: 'numeric', length, description: `请输入机构提供的${length}位交易码 / Enter the ${length}-digit code the agency gave you` } } : {}),
        },
      },
      ...(reference ? { credentialOfferUri: `${this.endpoints.credentialOffers}/${reference}` } : {}),
    });
  }

  /** `POST endpoints.token`: the body is the form (parsed fields or raw urlencoded text). */
  handleToken(request: Oid4vciRequest): Promise<Oid4vciResponse> {
    return handleTokenRequest(this.ctx, request);
  }

  /** `POST endpoints.nonce` (§7): a fresh single-use c_nonce. */
  async handleNonce(): Promise<Oid4vciResponse> {
    const nonce = randomSecret();
    await this.ctx.store.saveNonce({
      nonce,
      credentialIssuer: this.ctx.credentialIssuer,
      expiresAt: new Date(this.ctx.clock().getTime() + this.ctx.nonceTtlSeconds * 1000),
    });
    return jsonResponse(200, this.ctx.library.createNonceResponse({ cNonce: nonce }));
  }

  /**
   * `POST endpoints.credential` (§8): checks token, request and holder proof, then calls `issue` for the
   * proven holder DID (`jwt_vc_json`) or holder key (`dc+sd-jwt`) and answers with the credential. Failures are OID4VCI error responses; throws only
   * when the store fails.
   */
  handleCredential(request: Oid4vciRequest, issue: IssueCredential): Promise<Oid4vciResponse> {
    return handleCredentialRequest(this.ctx, request, issue);
  }
}
