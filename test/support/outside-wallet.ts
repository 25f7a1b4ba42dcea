/**
 * A wallet that is not govcred's: `Openid4vpClient` from `@openid4vc/openid4vp` resolves the request (fetching and
 * checking the signed request object), builds the authorization response (encrypting it for direct_post.jwt) and
 * posts it. Only the JWS/JWE callbacks and the presentations themselves come from the test.
 */
import { randomBytes } from 'node:crypto';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { allowInsecureLibraryUrls, createDidResolver, oid4vpCallbacks } from '../../libs/credentials/src/index.js';
import type { Fixture } from './chain.js';

export interface ResolvedRequest {
  clientId: string;
  nonce: string;
  responseMode: string;
  dcqlQuery: unknown;
  payload: Record<string, unknown>;
}

export class OutsideWallet {
  private readonly client: Openid4vpClient;

  constructor(fixture: Fixture) {
    allowInsecureLibraryUrls(); // the test verifier serves http on 127.0.0.1
    const resolver = createDidResolver({ chainId: fixture.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: fixture.didRegistry });
    this.client = new Openid4vpClient({ callbacks: { ...oid4vpCallbacks({ resolver }), fetch } as never });
  }

  async resolve(uri: string): Promise<ResolvedRequest> {
    const parsed = this.client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
    const resolved = await this.client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
    const payload = resolved.authorizationRequestPayload as Record<string, unknown>;
    return { clientId: String(payload.client_id), nonce: String(payload.nonce), responseMode: String(payload.response_mode), dcqlQuery: payload.dcql_query, payload };
  }

  /** Builds and posts the response; `tamper` may change the form before it leaves (a hostile wallet). */
  async respond(request: ResolvedRequest, vpToken: Record<string, string[]>): Promise<{ status: number; body: Record<string, unknown> }> {
    const jwt = request.responseMode === 'direct_post.jwt';
    const response = await this.client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.payload as never,
      authorizationResponsePayload: { vp_token: vpToken } as never,
      ...(jwt
        ? {
            jarm: {
              // The wallet's own nonce (apu); the library adds the request's nonce as apv.
              encryption: { nonce: randomBytes(16).toString('base64url') },
              serverMetadata: { authorization_encryption_alg_values_supported: ['ECDH-ES'], authorization_encryption_enc_values_supported: ['A128GCM'] } as never,
            },
          }
        : {}),
    });
    const submitted = await this.client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.payload as never,
      authorizationResponsePayload: response.authorizationResponsePayload,
      ...(response.jarm ? { jarm: { responseJwt: response.jarm.responseJwt } } : {}),
    });
    return { status: submitted.response.status, body: (await submitted.response.json()) as Record<string, unknown> };
  }
}
