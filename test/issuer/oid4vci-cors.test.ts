/**
 * CORS on the issuer answers for the public OID4VCI endpoints only (what a browser wallet on another origin
 * calls: metadata, token, nonce, credential), for any origin and never with credentials; every other route
 * (admin, agency API, offers, staff sessions, the portal) gives a browser on another origin nothing to read.
 */
import { startHarness, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';

const ORIGIN = 'https://wallet.example';
let h: IssuerHarness;
let agency: CreatedAgency;

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['NationalIdCredential']);
});
afterAll(async () => {
  await h?.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const response = await fetch(h.issuer.url + path, { method, headers: { origin: ORIGIN, ...headers }, body });
  await response.arrayBuffer();
  return { status: response.status, headers: response.headers };
}

const preflight = (path: string, requestHeaders = 'authorization, content-type') =>
  call('OPTIONS', path, { 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders });

describe('the wallet-facing OID4VCI endpoints answer CORS', () => {
  const publicRoutes = () => [
    ['GET', `/.well-known/openid-credential-issuer/oid4vci/${agency.id}`],
    ['GET', `/.well-known/oauth-authorization-server/oid4vci/${agency.id}`],
    ['POST', `/oid4vci/${agency.id}/token`],
    ['POST', `/oid4vci/${agency.id}/nonce`],
    ['POST', `/oid4vci/${agency.id}/credential`],
  ];

  test('preflights: any origin, GET and POST, the bearer token and JSON or form bodies, no credentials', async () => {
    for (const [, path] of publicRoutes()) {
      const { status, headers } = await preflight(path!);
      expect([path, status, headers.get('access-control-allow-origin'), headers.get('access-control-allow-credentials')]).toEqual([path, 204, '*', null]);
      expect(headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(headers.get('access-control-allow-headers')).toContain('authorization');
      expect(headers.get('access-control-allow-headers')).toContain('content-type');
    }
  });

  test('answers, errors included, are readable from another origin, the bearer challenge too', async () => {
    const metadata = await call('GET', `/.well-known/openid-credential-issuer/oid4vci/${agency.id}`);
    expect([metadata.status, metadata.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
    const token = await call('POST', `/oid4vci/${agency.id}/token`, { 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=nonsense');
    expect([token.status, token.headers.get('access-control-allow-origin')]).toEqual([400, '*']);
    const credential = await call('POST', `/oid4vci/${agency.id}/credential`, { 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, '{}');
    expect([credential.status, credential.headers.get('access-control-allow-origin')]).toEqual([401, '*']);
    expect(credential.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    expect(credential.headers.get('set-cookie')).toBeNull();
  });
});

describe('nothing else answers CORS', () => {
  test.each([
    ['GET', '/admin/agencies'],
    ['POST', '/admin/agencies'],
    ['POST', '/oid4vci/offers'],
    ['POST', '/credentials/issue'],
    ['GET', '/staff/session'],
    ['POST', '/staff/session'],
    ['GET', '/oid4vci/formats'],
    ['GET', '/docs-json'],
  ])('%s %s', async (method, path) => {
    const pre = await preflight(path);
    expect([pre.headers.get('access-control-allow-origin'), pre.headers.get('access-control-allow-methods')]).toEqual([null, null]);
    const actual = await call(method, path, method === 'POST' ? { 'content-type': 'application/json' } : {}, method === 'POST' ? '{}' : undefined);
    expect([actual.status < 500, actual.headers.get('access-control-allow-origin')]).toEqual([true, null]);
  });
});
