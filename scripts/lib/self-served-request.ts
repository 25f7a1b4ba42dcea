/**
 * A "verifier" outside the verifier service: it signs its own OpenID4VP request object with a did:ethr key and
 * serves it, so a wallet can be shown a request the service would never create (an unregistered verifier, one
 * asking beyond its registration). Used by the demo's second act and by the wallet's refusal tests.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { allowInsecureLibraryUrls, ethrDid, oid4vpCallbacks } from '../../libs/credentials/src/index.js';

export interface SelfServedRequest {
  /** The `openid4vp://` URI to hand to a wallet. */
  uri: string;
  did: string;
  /** Bodies posted to the response URI (a wallet that refuses posts none). */
  responses: string[];
  close(): Promise<void>;
}

/** Serves one request object signed by `privateKeyHex` (the did:ethr of its address on `chainId`) asking `dcqlQuery`. */
export async function serveSignedRequest(options: { chainId: number; privateKeyHex: string; address: string; dcqlQuery: unknown }): Promise<SelfServedRequest> {
  const did = ethrDid(options.chainId, options.address);
  const responses: string[] = [];
  let requestObject = '';
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/request') {
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' }).end(requestObject);
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      responses.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  allowInsecureLibraryUrls(); // plain http on this machine
  const verifier = new Openid4vpVerifier({ callbacks: oid4vpCallbacks({ signingKeyHex: options.privateKeyHex }) as never });
  const created = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token',
      client_id: `decentralized_identifier:${did}`,
      response_uri: `${base}/response`,
      response_mode: 'direct_post',
      nonce: randomBytes(16).toString('base64url'),
      state: randomBytes(16).toString('base64url'),
      dcql_query: options.dcqlQuery,
      client_metadata: { client_name: 'Self-served', vp_formats_supported: { 'dc+sd-jwt': {}, jwt_vc_json: {} } },
    } as never,
    jar: { requestUri: `${base}/request`, jwtSigner: { method: 'did', didUrl: `${did}#controller`, alg: 'ES256K' }, expiresInSeconds: 600 },
  });
  requestObject = created.jar!.authorizationRequestJwt;
  return {
    uri: created.authorizationRequest,
    did,
    responses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
