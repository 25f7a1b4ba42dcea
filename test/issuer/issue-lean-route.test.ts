import http from 'node:http';
import { DataSource } from 'typeorm';
import { IdempotencyRecord } from '../../apps/issuer/src/idempotency/entities/idempotency-record.entity.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// POST /credentials/issue is served ahead of Express and Nest (apps/issuer/src/credentials/issue-route.ts). A
// request in absolute form (`POST http://host/credentials/issue`) is one only Express matches: it still goes
// through Nest's controller, so each case below is sent both ways and must get the same answer.
let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let staffSession: Record<string, string>;

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['EducationCredential']);
  const staff = await h.admin.post(`/admin/agencies/${agency.id}/staff`, { username: 'lean.clerk', displayName: 'clerk', role: 'clerk', password: 'correct horse battery staple' });
  expect(staff.status).toBe(201);
  const signIn = await fetch(`${h.issuer.url}/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'lean.clerk', password: 'correct horse battery staple' }),
  });
  expect(signIn.status).toBe(200);
  const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
  staffSession = { cookie: /govcred_staff=([^;]+)/.exec(signIn.headers.get('set-cookie')!)![0], 'x-csrf-token': csrf };
});

afterAll(() => h?.close());

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
  ms: number;
}

/**
 * Sends a POST with `target` as the request-target (a path, or an absolute URL), writes `body` (or, with
 * `declared`, announces that many bytes and sends only the start) and reads the answer.
 */
function post(target: string, headers: Record<string, string>, body: string, declared?: number): Promise<Reply> {
  const { port } = new URL(h.issuer.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: target, headers: { 'content-length': String(declared ?? Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          req.destroy();
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer')));
    if (declared === undefined) req.end(body);
    else req.write(body);
  });
}

/** The lean path (origin form) and Nest's controller (absolute form) for the same request. */
async function bothWays(path: string, headers: Record<string, string>, body: string, declared?: number): Promise<{ lean: Reply; nest: Reply }> {
  const lean = await post(path, headers, body, declared);
  const nest = await post(h.issuer.url + path, headers, body, declared);
  // Express marks its own answers; the lean route writes none of its headers.
  expect([lean.headers['x-powered-by'], nest.headers['x-powered-by']]).toEqual([undefined, 'Express']);
  return { lean, nest };
}

const json = { 'content-type': 'application/json' };
const withKey = () => ({ ...json, 'x-api-key': agency.apiKey });
const good = () => JSON.stringify(issueRequest('EducationCredential', holderDid(1)));

test.each<[string, () => Record<string, string>, () => string, number, string]>([
  ['no API key', () => json, good, 401, 'unauthorized'],
  ['a wrong API key', () => ({ ...json, 'x-api-key': 'gck_wrong' }), good, 401, 'unauthorized'],
  ['an empty API key', () => ({ ...json, 'x-api-key': '' }), good, 401, 'unauthorized'],
  ['an over-long API key', () => ({ ...json, 'x-api-key': 'k'.repeat(201) }), good, 401, 'unauthorized'],
  // The route has no staff roles: a session (cookie and CSRF token) is refused as a missing key.
  ['a staff session', () => ({ ...json, ...staffSession }), good, 401, 'unauthorized'],
  ['malformed JSON', withKey, () => '{"credential": ', 400, 'malformed_json'],
  ['a body that is not JSON (text/plain: left unread)', () => ({ ...withKey(), 'content-type': 'text/plain' }), good, 400, 'invalid_request'],
  ['no content type', () => ({ 'x-api-key': agency.apiKey }), good, 400, 'invalid_request'],
  ['an unknown content encoding', () => ({ ...withKey(), 'content-encoding': 'x-unknown' }), good, 415, 'invalid_request'],
  ['an unknown charset', () => ({ ...withKey(), 'content-type': 'application/json; charset=x-unknown' }), good, 415, 'invalid_request'],
  ['a body over 64 kB', withKey, () => JSON.stringify({ ...issueRequest('EducationCredential', holderDid(1)), padding: 'x'.repeat(70 * 1024) }), 413, 'payload_too_large'],
  ['claims the schema refuses', withKey, () => JSON.stringify(issueRequest('EducationCredential', holderDid(1), { ...CLAIMS.EducationCredential, degree: 42 })), 400, 'invalid_claims'],
  ['an unknown type', withKey, () => JSON.stringify(issueRequest('NoSuchCredential', holderDid(1))), 400, 'unknown_credential_type'],
  ['a malformed Idempotency-Key', () => ({ ...withKey(), 'idempotency-key': 'has spaces' }), good, 400, 'invalid_request'],
])('%s: the same status and body on the lean path as through Nest', async (_name, headers, body, status, code) => {
  const { lean, nest } = await bothWays('/credentials/issue', headers(), body());
  expect([lean.status, lean.body.code]).toEqual([status, code]);
  expect(lean.body).toEqual(nest.body);
  expect(lean.status).toBe(nest.status);
  expect(lean.headers['content-type']).toBe(nest.headers['content-type']);
});

test('a fresh issuance is 201 with the same answer shape both ways, on every spelling Express would match', async () => {
  const { lean, nest } = await bothWays('/credentials/issue', withKey(), good());
  expect([lean.status, nest.status]).toEqual([201, 201]);
  expect(Object.keys(lean.body).sort()).toEqual(Object.keys(nest.body).sort());
  expect(decodeJwt(lean.body.verifiableCredential).payload.iss).toBe(agency.did);
  // Express ignores the query, the case and one trailing slash: so does the lean dispatcher.
  for (const path of ['/credentials/issue/', '/CREDENTIALS/Issue', '/credentials/issue?format=x', '/credentials/issue/?a=1&b=2']) {
    const res = await post(path, withKey(), good());
    expect([path, res.status, res.headers['x-powered-by']]).toEqual([path, 201, undefined]);
    expect(decodeJwt(res.body.verifiableCredential).payload.iss).toBe(agency.did);
  }
  // Neighbouring routes are Express's: bulk issuance (202), and GET of a record named "issue" (not found).
  const bulk = await post('/credentials/issue/bulk', withKey(), JSON.stringify({ items: [issueRequest('EducationCredential', holderDid(2))] }));
  expect([bulk.status, bulk.headers['x-powered-by']]).toEqual([202, 'Express']);
  const get = await agency.client.get('/credentials/issue');
  expect([get.status, get.body.code]).toEqual([404, 'credential_not_found']);
});

test('an oversized body: 401 without a key before it arrives, 413 with one (body-parser drains it, parses none)', async () => {
  const start = JSON.stringify(issueRequest('EducationCredential', holderDid(3))).slice(0, -1) + ',"padding":"' + 'x'.repeat(65_536);
  const anonymous = await bothWays('/credentials/issue', json, start, 15 * 2 ** 20);
  expect([anonymous.lean.status, anonymous.lean.body.code, anonymous.nest.status]).toEqual([401, 'unauthorized', 401]);
  expect(anonymous.lean.ms).toBeLessThan(5_000);
  const keyed = await bothWays('/credentials/issue', withKey(), start + 'x'.repeat(2 ** 20) + '"}');
  expect([keyed.lean.status, keyed.lean.body.code, keyed.nest.status]).toEqual([413, 'payload_too_large', 413]);
  expect(keyed.lean.body).toEqual(keyed.nest.body);
});

test('an Idempotency-Key is one request on both paths, and a replay answers the stored status and body', async () => {
  const headers = { ...withKey(), 'idempotency-key': 'lean-0001' };
  const body = JSON.stringify(issueRequest('EducationCredential', holderDid(4)));
  const first = await post('/credentials/issue', headers, body);
  expect(first.status).toBe(201);
  // The same route name in the request hash: a retry through Nest replays the lean path's answer, and back.
  const { lean, nest } = await bothWays('/credentials/issue', headers, body);
  expect([lean.status, nest.status]).toEqual([201, 201]);
  expect(lean.body).toEqual(first.body);
  expect(nest.body).toEqual(first.body);
  const reused = await post('/credentials/issue', headers, JSON.stringify(issueRequest('EducationCredential', holderDid(5))));
  expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
  // The stored status is answered as stored (only 201 is ever stored; another value shows it is not a constant).
  await h.issuer.app.get(DataSource).getRepository(IdempotencyRecord).update({ agencyId: agency.id, key: 'lean-0001' }, { status: 200 });
  const replay = await post('/credentials/issue', headers, body);
  expect([replay.status, replay.body]).toEqual([200, first.body]);
});
