import http from 'node:http';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { holderDid, issueRequest } from '../issuer/claims.js';
import { startHarness, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';
import { createVerifierAccount, startTestVerifier } from '../support/verifier.js';

// Bodies are read after the guards, with a limit per route (apps/common/src/http/body-limit.ts).
let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let verifier: RunningVerifier;

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['EducationCredential']);
  verifier = await startTestVerifier(h.fixture);
});
afterAll(async () => {
  await verifier?.close();
  await h?.close();
});

/**
 * Announces a body of `declaredBytes`, sends only its first 64 KiB and waits for the answer without ever
 * finishing the body: only a server that answers without reading the body can reply.
 */
function answerToUnfinishedBody(url: string, headers: Record<string, string>, declaredBytes: number): Promise<{ status: number; body: { code?: string }; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declaredBytes), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer while the body was unfinished')));
    req.write('{"items":[' + ' '.repeat(65_536));
  });
}

async function send(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: { code?: string } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as { code?: string } };
}

test.each<[string, string, Record<string, string>]>([
  ['bulk issuance without an API key', '/credentials/issue/bulk', {}],
  ['bulk issuance with a wrong API key', '/credentials/issue/bulk', { 'x-api-key': 'gck_wrong' }],
  ['the admin API without a token', '/admin/agencies', {}],
])('%s: 401 before the 15 MB body was sent', async (_name, path, headers) => {
  const reply = await answerToUnfinishedBody(h.issuer.url + path, headers, 15 * 2 ** 20);
  expect([reply.status, reply.body.code]).toEqual([401, 'unauthorized']);
  expect(reply.ms).toBeLessThan(5_000);
});

test('an authenticated agency still sends large bulk bodies (the service limit), and small routes refuse them', async () => {
  const items = Array.from({ length: 300 }, (_, i) => issueRequest('EducationCredential', holderDid(10_000 + i)));
  const big = JSON.stringify({ items });
  expect(big.length).toBeGreaterThan(64 * 1024);
  const bulk = await agency.client.post('/credentials/issue/bulk', big);
  expect(bulk.status).toBe(202);
  // The same size on single issuance (64 kB) and status changes (4 kB) is refused before parsing.
  for (const [path, body] of [
    ['/credentials/issue', JSON.stringify({ ...issueRequest('EducationCredential', holderDid(1)), padding: 'x'.repeat(70 * 1024) })],
    ['/credentials/status', JSON.stringify({ credentialId: 'x'.repeat(5 * 1024), action: 'revoke' })],
  ]) {
    const res = await agency.client.post(path, body);
    expect([path, res.status, res.body.code]).toEqual([path, 413, 'payload_too_large']);
  }
});

test('a route without a declared limit gets the small default', async () => {
  // rotate-key takes no body: 16 kB of JSON is refused, after the admin token was checked.
  const res = await h.admin.post(`/admin/agencies/${agency.id}/rotate-key`, JSON.stringify({ padding: 'x'.repeat(20 * 1024) }));
  expect([res.status, res.body.code]).toEqual([413, 'payload_too_large']);
});

test('unauthenticated wallet endpoints take small bodies only; the token endpoint reads form bodies', async () => {
  const base = `${h.issuer.url}/oid4vci/${agency.id}`;
  // 64 kB: room for a batch of key proofs (OID4VCI_BATCH_SIZE), no more.
  const tooBig = await send(`${base}/credential`, JSON.stringify({ proof: 'x'.repeat(80 * 1024) }));
  expect([tooBig.status, tooBig.body.code]).toEqual([413, 'payload_too_large']);
  const form = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=bm90LWEtY29kZQ',
  });
  // Parsed and judged by the OID4VCI token endpoint (an unknown code), not refused as an unreadable body.
  expect(form.status).toBe(400);
  expect(((await form.json()) as { error?: string }).error).toBe('invalid_grant');
  const bigForm = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'pre-authorized_code=' + 'x'.repeat(10 * 1024),
  });
  expect([bigForm.status, ((await bigForm.json()) as { code?: string }).code]).toEqual([413, 'payload_too_large']);
});

test('broken bodies keep their codes: malformed JSON 400, an unknown content encoding 415', async () => {
  const malformed = await agency.client.post('/credentials/issue', '{"credential": ');
  expect([malformed.status, malformed.body.code]).toEqual([400, 'malformed_json']);
  const encoded = await send(`${h.issuer.url}/credentials/issue`, '{}', { 'x-api-key': agency.apiKey, 'content-encoding': 'x-unknown' });
  expect([encoded.status, encoded.body.code]).toEqual([415, 'invalid_request']);
});

test('the verifier: tiny challenge requests, presentations up to VERIFIER_BODY_LIMIT', async () => {
  const oversized = JSON.stringify({ padding: 'x'.repeat(20 * 1024) });
  // Without a verifier API key the body is never read: 401, not 413.
  const anonymous = await send(`${verifier.url}/challenges`, oversized);
  expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthorized']);
  const { apiKey } = await createVerifierAccount(verifier.url);
  const request = await send(`${verifier.url}/challenges`, oversized, { 'x-api-key': apiKey });
  expect([request.status, request.body.code]).toEqual([413, 'payload_too_large']);
  // 200 kB is under the verify routes' 256 kB: read, then judged by the schema (not a 413).
  const verify = await send(`${verifier.url}/credentials/verify`, JSON.stringify({ verifiableCredential: 42, padding: 'x'.repeat(200 * 1024) }));
  expect(verify.status).toBe(400);
  expect(verify.body.code).toBe('invalid_request');
});
