import { clientAuthenticationAnonymous, preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import { Openid4vciClient, type CredentialOfferObject, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { InvalidFetchResponseError } from '@openid4vc/utils';
import { GovcredError } from '../errors.js';
import { WalletFetchError, walletFetch } from '../holder/wallet-fetch.js';
import { allowInsecureLibraryUrls, causeOf, checkEndpointUrl, checkIssuerUrl, generateRandom, hashCallback } from './library.js';
import { findTypeByVct } from '../catalog/vct.js';
import { OID4VCI_FORMAT, OID4VCI_JWK_PROOF_ALGS, OID4VCI_PROOF_ALG, OID4VCI_SD_JWT_FORMAT, type Oid4vciDisplay, type Oid4vciFormat } from './metadata.js';

/** Network settings of the wallet side. */
export interface Oid4vciClientNetwork {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per HTTP request. @default 10000 */
  timeoutMs?: number;
  /** Accept plain-http issuers (a local devnet only). @default false */
  allowHttp?: boolean;
}

/** A display entry of a credential configuration (its name in one language). */
export interface Oid4vciCredentialDisplay extends Oid4vciDisplay {
  description?: string;
}

/** A credential offer, resolved with its issuer's metadata: enough to ask the citizen before receiving. */
export interface ResolvedOffer {
  credentialIssuer: string;
  configurationId: string;
  /** `jwt_vc_json` (bound to the holder's DID) or `dc+sd-jwt` (bound to a holder key). */
  format: Oid4vciFormat;
  /** The credential's type (the last of `credential_definition.type`, or the catalog type of the `vct`), e.g. `EducationCredential`. */
  type: string;
  /** `dc+sd-jwt`: the offered vct. */
  vct?: string;
  /** Key-proof algorithms the issuer accepts for this configuration. */
  proofAlgs: string[];
  /**
   * Copies one request may ask for: the issuer's `batch_credential_issuance.batch_size` for `dc+sd-jwt`
   * (OID4VCI 1.0 §12.2.4), else 1.
   */
  batchSize: number;
  /** The issuer's names (the agency), as its metadata gives them. */
  issuerDisplay: Oid4vciDisplay[];
  /** The credential's names. */
  credentialDisplay: Oid4vciCredentialDisplay[];
  /** Present when the offer needs a transaction code (PIN). */
  txCode?: { length?: number; inputMode?: 'numeric' | 'text'; description?: string };
  /** @internal the library's objects, for {@link receiveCredential}. */
  offer: CredentialOfferObject;
  /** @internal */
  issuerMetadata: IssuerMetadataResult;
}

/** The library client with govcred's callbacks and the wallet's fetch; `signJwt` is the holder's (only the proof is signed). */
export function libraryClient(network: Oid4vciClientNetwork, signJwt: ConstructorParameters<typeof Openid4vciClient>[0]['callbacks']['signJwt']): Openid4vciClient {
  if (network.allowHttp) allowInsecureLibraryUrls();
  const { fetch } = walletFetch({ fetch: network.fetch, timeoutMs: network.timeoutMs ?? 10_000 });
  return new Openid4vciClient({ callbacks: { fetch, hash: hashCallback, generateRandom, signJwt, clientAuthentication: clientAuthenticationAnonymous() } });
}

/**
 * Reads a credential offer (OID4VCI 1.0 §4.1: `openid-credential-offer://?credential_offer=…` or
 * `…?credential_offer_uri=…`, as text from a QR code or link) and fetches the issuer's metadata.
 * @throws GovcredError `offer_invalid`, `service_unreachable` or `issuer_response_invalid`.
 */
export async function resolveOffer(text: string, network: Oid4vciClientNetwork = {}): Promise<ResolvedOffer> {
  const client = libraryClient(network, () => {
    throw new Error('nothing is signed while resolving an offer');
  });
  const offerText = String(text).trim();
  const byReference = offerUriOf(offerText);
  if (byReference !== undefined && !checkEndpointUrl(byReference, network.allowHttp ?? false)) {
    throw new GovcredError('offer_invalid', 'the offer refers to an address that is not an https URL');
  }
  let offer: CredentialOfferObject;
  try {
    offer = await client.resolveCredentialOffer(offerText);
  } catch (error) {
    // The issuer answered the reference with 4xx: the offer was used or expired (or never existed).
    const status = error instanceof InvalidFetchResponseError ? error.response.status : 0;
    if (byReference !== undefined && status >= 400 && status < 500) {
      const body = issuerError((error as InvalidFetchResponseError).textResponse);
      const details = body ? oauthDetails(body, status) : { status };
      throw new GovcredError('offer_rejected', 'the agency no longer offers this credential: it was used or it expired', details, { cause: error });
    }
    throw clientError(error, 'offer_invalid', 'this is not a credential offer');
  }
  if (!checkIssuerUrl(offer.credential_issuer, network.allowHttp ?? false)) throw new GovcredError('offer_invalid', 'the offer names an issuer that is not an https URL');
  const grant = offer.grants?.[preAuthorizedCodeGrantIdentifier];
  if (!grant) throw new GovcredError('offer_invalid', 'the offer has no pre-authorized code');
  if (offer.credential_configuration_ids.length !== 1) throw new GovcredError('offer_invalid', 'the offer must name exactly one credential');
  const configurationId = offer.credential_configuration_ids[0];

  let issuerMetadata: IssuerMetadataResult;
  try {
    issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  } catch (error) {
    throw clientError(error, 'issuer_response_invalid', 'the issuer metadata could not be read');
  }
  // With http allowed anywhere in the process the library accepts http endpoints: hold this caller to its own choice.
  const endpoints = [
    issuerMetadata.credentialIssuer.credential_endpoint,
    issuerMetadata.credentialIssuer.nonce_endpoint,
    ...issuerMetadata.authorizationServers.map((server) => server.token_endpoint),
  ];
  if (endpoints.some((url) => url !== undefined && !checkEndpointUrl(url, network.allowHttp ?? false))) {
    throw new GovcredError('issuer_response_invalid', 'the issuer metadata names endpoints that are not https URLs');
  }
  const configuration = issuerMetadata.knownCredentialConfigurations[configurationId];
  const format = configuration?.format;
  if (format !== OID4VCI_FORMAT && format !== OID4VCI_SD_JWT_FORMAT) {
    throw new GovcredError('offer_invalid', `the offered credential is not a ${OID4VCI_FORMAT} or ${OID4VCI_SD_JWT_FORMAT} credential of this issuer`);
  }
  const algs = configuration.proof_types_supported?.jwt?.proof_signing_alg_values_supported;
  const ours = format === OID4VCI_FORMAT ? [OID4VCI_PROOF_ALG] : OID4VCI_JWK_PROOF_ALGS;
  const proofAlgs = algs ? ours.filter((alg) => algs.includes(alg)) : [...ours];
  if (proofAlgs.length === 0) throw new GovcredError('offer_invalid', `the issuer accepts none of ${ours.join(', ')} for key proofs`);
  let type: string;
  let vct: string | undefined;
  if (format === OID4VCI_FORMAT) {
    const types = (configuration as { credential_definition: { type: string[] } }).credential_definition.type;
    type = types[types.length - 1];
  } else {
    vct = (configuration as { vct: string }).vct;
    const definition = findTypeByVct(vct);
    if (!definition) throw new GovcredError('offer_invalid', 'the offered vct is not a credential type this wallet knows');
    type = definition.type;
  }
  const metadata = (configuration as { credential_metadata?: { display?: Oid4vciCredentialDisplay[] } }).credential_metadata;
  const batch = issuerMetadata.credentialIssuer.batch_credential_issuance?.batch_size;
  const batchSize = format === OID4VCI_SD_JWT_FORMAT && Number.isInteger(batch) && batch! > 1 ? batch! : 1;
  return {
    credentialIssuer: offer.credential_issuer,
    configurationId,
    format,
    type,
    ...(vct ? { vct } : {}),
    proofAlgs,
    batchSize,
    issuerDisplay: (issuerMetadata.credentialIssuer.display ?? []).flatMap((d) => (d.name ? [{ name: d.name, locale: d.locale ?? '' }] : [])),
    credentialDisplay: (metadata?.display ?? []).map(({ name, locale, description }) => ({ name, locale: locale ?? '', ...(description ? { description } : {}) })),
    ...(grant.tx_code ? { txCode: { length: grant.tx_code.length, inputMode: grant.tx_code.input_mode, description: grant.tx_code.description } } : {}),
    offer,
    issuerMetadata,
  };
}

/** The `credential_offer_uri` of an offer text (§4.1.3), or undefined (by value, or not an offer at all). */
function offerUriOf(text: string): string | undefined {
  try {
    return new URL(text).searchParams.get('credential_offer_uri') ?? undefined;
  } catch {
    return undefined;
  }
}

/** An issuer's OAuth-style JSON error body (already bounded in size), its strings cut short; undefined without an `error`. */
function issuerError(text: string): { error: string; error_description?: string } | undefined {
  let body: { error?: unknown; error_description?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return undefined;
  }
  if (typeof body?.error !== 'string') return undefined;
  return { error: body.error.slice(0, 100), ...(typeof body.error_description === 'string' ? { error_description: body.error_description.slice(0, 300) } : {}) };
}

/** The details of an issuer's refusal: its OAuth `error`, its `description`, and the HTTP status. */
export function oauthDetails(body: { error: string; error_description?: string }, status: number): Record<string, unknown> {
  return { error: body.error, ...(body.error_description ? { description: body.error_description } : {}), status };
}

/** A library or network error as a typed client error: unreachable if the network failed, else `fallback`. */
export function clientError(error: unknown, fallback: 'offer_invalid' | 'issuer_response_invalid', message: string): GovcredError {
  if (error instanceof GovcredError) return error;
  // The wallet's fetch failed inside the library's call, however the library wrapped it.
  const failed = causeOf(error, WalletFetchError);
  if (failed?.reason === 'unreachable') return new GovcredError('service_unreachable', 'the issuer could not be reached', undefined, { cause: error });
  if (failed?.reason === 'too_large') return new GovcredError('issuer_response_invalid', failed.message, undefined, { cause: error });
  return new GovcredError(fallback, message, undefined, { cause: error });
}
