import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IssueCredential, Oid4vciIssuerService, Oid4vciResponse } from '../../libs/credentials/src/index.js';

/** One credential issuer hosted by the test server. */
export interface HostedIssuer {
  service: Oid4vciIssuerService;
  issue: IssueCredential;
}

/**
 * A bare node:http server in front of {@link Oid4vciIssuerService}s: the routes an issuer service must serve
 * (metadata at the well-known URLs with the issuer path appended, offers by reference, token, nonce, credential), nothing else.
 * Issuers live under `/oid4vci/<id>`; add them to `issuers` after `start()` (their URLs need the port).
 */
export class Oid4vciTestServer {
  readonly issuers = new Map<string, HostedIssuer>();
  /** `METHOD path` of every request, in order. */
  readonly requests: string[] = [];
  private readonly server = http.createServer((req, res) => void this.route(req, res));
  baseUrl = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The Credential Issuer Identifier of hosted issuer `id`. */
  issuerUrl(id: string): string {
    return `${this.baseUrl}/oid4vci/${id}`;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const path = new URL(req.url ?? '/', this.baseUrl).pathname;
      this.requests.push(`${req.method} ${path}`);
      const wellKnown = /^\/\.well-known\/(openid-credential-issuer|oauth-authorization-server)\/oid4vci\/([^/]+)$/.exec(path);
      const endpoint = /^\/oid4vci\/([^/]+)\/(token|nonce|credential)$/.exec(path);
      const byReference = /^\/oid4vci\/([^/]+)\/offers\/([^/]+)$/.exec(path);
      const hosted = this.issuers.get((wellKnown?.[2] ?? endpoint?.[1] ?? byReference?.[1]) as string);
      if (!hosted) return send(res, { status: 404, headers: {}, body: { error: 'not_found' } });
      if (byReference && req.method === 'GET') return send(res, await hosted.service.handleOfferRequest(byReference[2]));
      if (wellKnown && req.method === 'GET') {
        const body = wellKnown[1] === 'openid-credential-issuer' ? hosted.service.credentialIssuerMetadata() : hosted.service.authorizationServerMetadata();
        return send(res, { status: 200, headers: {}, body: body as Record<string, unknown> });
      }
      if (!endpoint || req.method !== 'POST') return send(res, { status: 405, headers: {}, body: { error: 'invalid_request' } });
      const text = await readBody(req);
      if (endpoint[2] === 'nonce') return send(res, await hosted.service.handleNonce());
      if (endpoint[2] === 'token') return send(res, await hosted.service.handleToken({ headers: req.headers, body: text }));
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, { status: 400, headers: {}, body: { error: 'invalid_credential_request', error_description: 'malformed JSON' } });
      }
      return send(res, await hosted.service.handleCredential({ headers: req.headers, body }, hosted.issue));
    } catch (error) {
      send(res, { status: 500, headers: {}, body: { error: 'server_error', error_description: String(error) } });
    }
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, response: Oid4vciResponse): void {
  res.writeHead(response.status, { 'Content-Type': 'application/json', ...response.headers });
  res.end(JSON.stringify(response.body));
}
