import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resolvable } from 'did-resolver';
import { resolveOid4vpRequest } from './oid4vp-request.js';
import { MAX_ANSWER_BYTES, WalletFetchError, walletFetch } from './wallet-fetch.js';

/** A party answering each path its own way: the wallet's counterpart at its most hostile. */
const big = 'x'.repeat(MAX_ANSWER_BYTES + 1);
const server = http.createServer((req, res) => {
  switch (req.url) {
    case '/declared':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
      return void res.end(big);
    case '/chunked':
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < big.length; at += 64 * 1024) res.write(big.slice(at, at + 64 * 1024));
      return void res.end();
    case '/moved':
      res.writeHead(302, { location: '/small' });
      return void res.end();
    case '/empty':
      res.writeHead(204);
      return void res.end();
    default:
      res.writeHead(201, { 'content-type': 'application/json', 'x-kept': 'yes' });
      return void res.end('{"ok":true}');
  }
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failureOf(path: string): Promise<WalletFetchError | undefined> {
  const network = walletFetch({ timeoutMs: 5_000 });
  const thrown = await network.fetch(`${base}${path}`).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown).toBe(network.failure());
  return network.failure();
}

test('an answer within the bound arrives as sent: status, headers, body', async () => {
  const network = walletFetch({ timeoutMs: 5_000 });
  const response = await network.fetch(`${base}/small`);
  expect([response.status, response.headers.get('x-kept'), await response.json()]).toEqual([201, 'yes', { ok: true }]);
  expect((await network.fetch(`${base}/empty`)).status).toBe(204);
  expect(network.failure()).toBeUndefined();
});

test('an answer past the bound is refused unread, declared or chunked', async () => {
  for (const path of ['/declared', '/chunked']) expect((await failureOf(path))?.reason).toBe('too_large');
});

test('a redirect is not followed, and a closed port is unreachable', async () => {
  expect((await failureOf('/moved'))?.reason).toBe('unreachable');
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const network = walletFetch({ timeoutMs: 5_000 });
  await expect(network.fetch(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(WalletFetchError);
  expect(network.failure()?.reason).toBe('unreachable');
});

test('a request object past the bound is not a request: the wallet says so, without reading it', async () => {
  const noResolver: Resolvable = {
    resolve: () => {
      throw new Error('nothing is resolved before the request object is read');
    },
  };
  for (const path of ['/declared', '/chunked']) {
    const uri = `openid4vp://?client_id=${encodeURIComponent('decentralized_identifier:did:ethr:0x7a69:0x0000000000000000000000000000000000000001')}&request_uri=${encodeURIComponent(base + path)}`;
    const outcome = await resolveOid4vpRequest(uri, { resolver: noResolver, chainId: 31337 });
    expect(outcome).toMatchObject({ ok: false, code: 'request_invalid', message: expect.stringContaining(`larger than ${MAX_ANSWER_BYTES} bytes`) });
  }
});
