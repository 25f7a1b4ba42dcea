import { Openid4vpClient } from '@openid4vc/openid4vp';
import type { Resolvable } from 'did-resolver';
import { sha256Hex } from '../bytes.js';
import { parseEthrDid } from '../did/ethr-did.js';
import { allowInsecureLibraryUrls } from '../oid4vci/library.js';
import { walletCallbacks } from '../oid4vp/wallet-callbacks.js';
import { parseDcqlQuery, type ParsedDcqlQuery } from '../query/dcql.js';
import { isLoopbackUrl } from './loopback.js';
import { walletFetch } from './wallet-fetch.js';

/**
 * The wallet's reading of an OpenID4VP 1.0 request (§5): the `openid4vp://` URI, the request object fetched by
 * reference and its signature checked against the client_id's did:ethr as the chain has it now.
 */

/** A request the wallet may go on to answer: signed by `verifierDid`, its DCQL query parsed. */
export interface WalletOid4vpRequest {
  /** `decentralized_identifier:<did>`: the `aud` of key binding and VP. */
  clientId: string;
  verifierDid: string;
  nonce: string;
  responseMode: 'direct_post' | 'direct_post.jwt';
  responseUri: string;
  query: ParsedDcqlQuery;
  /** `sha256:<hex>` of the signed request object as fetched: what a consent receipt names. */
  requestHash: string;
  /** @internal the library's payload, to build the response. */
  payload: Record<string, unknown>;
}

/** Why a request cannot be read: not a request at all, a request this wallet does not trust, or no network. */
export type RequestProblemCode = 'request_invalid' | 'request_untrusted' | 'service_unreachable';

export type ResolveRequestOutcome =
  | { ok: true; request: WalletOid4vpRequest }
  | { ok: false; code: RequestProblemCode; message: string; /** client_id as the URI claims it (unverified), when readable. */ claimedClientId?: string };

export interface ResolveRequestOptions {
  /** Resolves did:ethr (the chain). */
  resolver: Resolvable;
  /** The wallet's chain: the verifier's DID must be a did:ethr on it. */
  chainId: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per HTTP request. @default 10000 */
  timeoutMs?: number;
}

/** https, or http to this machine (a local devnet). */
function acceptableUrl(value: unknown): boolean {
  try {
    const url = new URL(String(value));
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url.href));
  } catch {
    return false;
  }
}

/** The client_id and request_uri the URI carries, unverified. */
function uriParams(uri: string): { clientId?: string; requestUri?: string } {
  try {
    const url = new URL(uri.trim());
    return { clientId: url.searchParams.get('client_id') ?? undefined, requestUri: url.searchParams.get('request_uri') ?? undefined };
  } catch {
    return {};
  }
}

/**
 * Reads an `openid4vp://` URI (as text from a QR code or link): only a request object by reference, signed by
 * the did:ethr of a `decentralized_identifier:` client_id (the only prefix the chain can vouch for), with a DCQL
 * query in govcred's formats and a `direct_post` / `direct_post.jwt` response URI. Never throws.
 */
export async function resolveOid4vpRequest(uri: string, options: ResolveRequestOptions): Promise<ResolveRequestOutcome> {
  const { clientId: claimed, requestUri } = uriParams(String(uri));
  const fail = (code: RequestProblemCode, message: string): ResolveRequestOutcome => ({ ok: false, code, message, ...(claimed ? { claimedClientId: claimed } : {}) });
  if (!claimed?.startsWith('decentralized_identifier:')) return fail('request_untrusted', 'the client_id is not a decentralized identifier');
  if (!requestUri) return fail('request_invalid', 'the request object is not passed by reference (request_uri)');
  if (!acceptableUrl(requestUri)) return fail('request_invalid', 'the request_uri is not https');
  // The library's http switch is process-wide; govcred's own check above keeps http to this machine.
  if (requestUri.startsWith('http:')) allowInsecureLibraryUrls();
  const network = walletFetch({ fetch: options.fetch, timeoutMs: options.timeoutMs ?? 10_000 });
  const client = new Openid4vpClient({ callbacks: { ...walletCallbacks({ resolver: options.resolver }), fetch: network.fetch } as never });
  let resolved;
  try {
    const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: String(uri).trim() });
    resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
  } catch (error) {
    const failed = network.failure();
    if (failed?.reason === 'unreachable') return fail('service_unreachable', `could not reach ${requestUri}`);
    if (failed?.reason === 'too_large') return fail('request_invalid', failed.message);
    const message = error instanceof Error ? error.message.slice(0, 300) : 'unreadable request';
    // A fetched object whose signature the chain does not back is untrusted; anything else is not a request.
    return fail(/signature|verif|jwt/i.test(message) ? 'request_untrusted' : 'request_invalid', message);
  }
  const payload = resolved.authorizationRequestPayload as Record<string, unknown>;
  if (!resolved.jar || resolved.jar.sendBy !== 'reference' || resolved.client.prefix !== 'decentralized_identifier') {
    return fail('request_untrusted', 'the request object is not signed by a decentralized identifier');
  }
  const verifierDid = resolved.client.identifier;
  if (!parseEthrDid(verifierDid, options.chainId).ok) return fail('request_untrusted', 'the verifier is not a did:ethr of this chain');
  // The signing key must be the client's own (the library checks the did; this pins it to the client_id's).
  if (resolved.jar.signer.method !== 'did' || resolved.jar.signer.didUrl.split('#')[0] !== verifierDid) {
    return fail('request_untrusted', 'the request object is signed by another identifier than its client_id');
  }
  const mode = payload.response_mode;
  if (mode !== 'direct_post' && mode !== 'direct_post.jwt') return fail('request_invalid', 'response_mode must be direct_post or direct_post.jwt');
  if (!acceptableUrl(payload.response_uri)) return fail('request_invalid', 'the response_uri is not https');
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0) return fail('request_invalid', 'the request has no nonce');
  const query = parseDcqlQuery(payload.dcql_query);
  if (!query.ok) return fail('request_invalid', `dcql_query: ${query.message}`);
  return {
    ok: true,
    request: {
      clientId: String(payload.client_id),
      verifierDid,
      nonce: payload.nonce,
      responseMode: mode,
      responseUri: String(payload.response_uri),
      query: query.query,
      requestHash: `sha256:${sha256Hex(resolved.jar.jwt.compact)}`,
      payload,
    },
  };
}
