import { Openid4vpClient } from '@openid4vc/openid4vp';
import { bytesToBase64url, randomBytes } from '../bytes.js';
import { RESPONSE_ENCRYPTION, walletCallbacks } from '../oid4vp/wallet-callbacks.js';
import type { WalletOid4vpRequest } from './oid4vp-request.js';
import { walletFetch } from './wallet-fetch.js';

/** What the verifier answered the wallet: an acknowledgement only (OID4VP 1.0 §8.2), never the result. */
export type SubmitOutcome =
  | { ok: true; status: number; redirectUri?: string }
  | { ok: false; code: 'response_rejected' | 'service_unreachable'; status?: number; error?: string };

export interface SubmitOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default 15000 */
  timeoutMs?: number;
}

/**
 * Posts `vpToken` (credential query id → presentations) to the request's response_uri: as a form (`direct_post`)
 * or, for `direct_post.jwt`, encrypted (ECDH-ES) to the key in the request's client_metadata (§8.3). Never throws.
 */
export async function submitOid4vpResponse(request: WalletOid4vpRequest, vpToken: Record<string, string[]>, options: SubmitOptions = {}): Promise<SubmitOutcome> {
  const network = walletFetch({ fetch: options.fetch, timeoutMs: options.timeoutMs ?? 15_000 });
  const client = new Openid4vpClient({ callbacks: { ...walletCallbacks({}), fetch: network.fetch } as never });
  try {
    const jwt = request.responseMode === 'direct_post.jwt';
    const response = await client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.payload as never,
      authorizationResponsePayload: { vp_token: vpToken } as never,
      ...(jwt
        ? {
            jarm: {
              // The wallet's own nonce (apu); the library adds the request's nonce as apv.
              encryption: { nonce: bytesToBase64url(randomBytes(16)) },
              serverMetadata: { authorization_encryption_alg_values_supported: [RESPONSE_ENCRYPTION.alg], authorization_encryption_enc_values_supported: [...RESPONSE_ENCRYPTION.encValues] } as never,
            },
          }
        : {}),
    });
    const submitted = await client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.payload as never,
      authorizationResponsePayload: response.authorizationResponsePayload,
      ...(response.jarm ? { jarm: { responseJwt: response.jarm.responseJwt } } : {}),
    });
    const body = (await submitted.response.json().catch(() => ({}))) as { redirect_uri?: unknown; code?: unknown; error?: unknown };
    if (!submitted.response.ok) {
      const error = typeof body.code === 'string' ? body.code : typeof body.error === 'string' ? body.error : undefined;
      return { ok: false, code: 'response_rejected', status: submitted.response.status, ...(error ? { error } : {}) };
    }
    return { ok: true, status: submitted.response.status, ...(typeof body.redirect_uri === 'string' ? { redirectUri: body.redirect_uri } : {}) };
  } catch (error) {
    const failed = network.failure();
    if (failed?.reason === 'unreachable') return { ok: false, code: 'service_unreachable' };
    if (failed?.reason === 'too_large') return { ok: false, code: 'response_rejected', error: failed.message };
    return { ok: false, code: 'response_rejected', error: error instanceof Error ? error.message.slice(0, 200) : 'could not build the response' };
  }
}
