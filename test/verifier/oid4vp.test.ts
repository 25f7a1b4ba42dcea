/**
 * OpenID4VP 1.0 + DCQL over real HTTP and the real chain, answered by an outside wallet (`Openid4vpClient` of
 * `@openid4vc/openid4vp`): both formats, both response modes, and negative cases modelled on the OpenID
 * Foundation's verifier conformance tests, each with its own code and never a 5xx.
 */
import { createHash } from 'node:crypto';
import { Wallet } from 'ethers';
import {
  VerifierRegistryClient,
  ethrDid,
  issueSdJwtVc,
  presentSdJwtVc,
  schemaReference,
  statusEntries,
  vctOf,
  getCredentialType,
} from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { OutsideWallet } from '../support/outside-wallet.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { ecKey, type TestKey } from '../support/sd-jwt-fixtures.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, chainClockOffsetMs, get, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';

const KEY_SECRET = 'ab'.repeat(32);
let f: Fixture;
let verifier: RunningVerifier;
let offsetMs = 0;
let apiKey: string;
let wallet: OutsideWallet;
let idAgency: TestAgency;
let uni: TestAgency;
const holder = new TestHolder();
const holderKey: TestKey = ecKey('P-256');
const employerKey = Wallet.createRandom();
const now = () => new Date(Date.now() + offsetMs);

const ID_VCT = vctOf(getCredentialType('NationalIdCredential')!);
const AGE_QUERY = { credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: [{ path: ['age_over_18'] }] }] };
const DEGREE_QUERY = {
  credentials: [{ id: 'diploma', format: 'jwt_vc_json', meta: { type_values: [['EducationCredential']] }, claims: [{ path: ['credentialSubject', 'degree'] }] }],
};

/** An SD-JWT VC ID card of the fixture's bureau for the holder's P-256 key, with status on chain. */
async function idCard(index = Math.floor(Math.random() * 2 ** 17), signer = idAgency.identity, withStatus = true): Promise<string> {
  const sign = async (input: string) => {
    const s = signer.signingKey.sign(createHash('sha256').update(input, 'ascii').digest());
    return Buffer.concat([Buffer.from(s.r.slice(2), 'hex'), Buffer.from(s.s.slice(2), 'hex')]).toString('base64url');
  };
  return issueSdJwtVc({
    type: 'NationalIdCredential',
    claims: SAMPLE_CLAIMS.NationalIdCredential,
    issuerDid: idAgency.did,
    kid: `${idAgency.did}#controller`,
    signer: sign,
    holderJwk: holderKey.jwk,
    statusEntries: withStatus
      ? statusEntries({ chainId: f.chainId, statusRegistry: f.statusRegistry, owner: idAgency.address, revocationListId: TestAgency.REVOCATION_LIST, suspensionListId: TestAgency.SUSPENSION_LIST, index })
      : [],
    now: new Date(now().getTime() - 60_000),
  });
}

const presentAge = (credential: string, nonce: string, audience: string, at = now()) =>
  presentSdJwtVc(credential, { claimPaths: [['age_over_18']], nonce, audience, holderSigner: holderKey.sign, holderAlg: 'ES256', now: at });

async function ask(query: unknown, responseMode = 'direct_post') {
  const created = await post<{ id: string; authorizationRequestUri: string; code?: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: query, response_mode: responseMode }, withKey(apiKey));
  expect(created.status).toBe(201);
  return created.body;
}
const resultOf = async (id: string) => (await get<{ status: string; result?: { verified: boolean; problems: Array<{ code: string }> } }>(`${verifier.url}/oid4vp/requests/${id}`, withKey(apiKey))).body;
const codes = (body: { result?: { problems: Array<{ code: string }> } }) => [...new Set(body.result?.problems.map((p) => p.code))].sort();

beforeAll(async () => {
  f = await deployFixture();
  offsetMs = await chainClockOffsetMs(f.provider);
  idAgency = await TestAgency.create(f, [{ type: 'NationalIdCredential' }]);
  uni = await TestAgency.create(f, [{ type: 'EducationCredential' }]);
  await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(employerKey.address, EMPLOYER_SCOPE);
  verifier = await startTestVerifier(f, { VERIFIER_KEY_SECRET: KEY_SECRET }, { now });
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  const account = await post<{ apiKey: string; signsRequests: boolean }>(
    `${verifier.url}/admin/verifiers`,
    { name: 'Employer', did: ethrDid(f.chainId, employerKey.address), signingKey: employerKey.privateKey },
    { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` },
  );
  expect([account.status, account.body.signsRequests]).toEqual([201, true]);
  apiKey = account.body.apiKey;
  wallet = new OutsideWallet(f);
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

describe.each(['direct_post', 'direct_post.jwt'])('an outside wallet over %s', (mode) => {
  test('presents an SD-JWT VC disclosing only age_over_18; the verifier alone reads the result', async () => {
    const request = await ask(AGE_QUERY, mode);
    expect(request.authorizationRequestUri).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Aethr/);
    expect(request.authorizationRequestUri.length).toBeLessThan(400);
    const resolved = await wallet.resolve(request.authorizationRequestUri);
    expect(resolved.clientId).toBe(`decentralized_identifier:${ethrDid(f.chainId, employerKey.address)}`);
    const answer = await wallet.respond(resolved, { id_card: [await presentAge(await idCard(), resolved.nonce, resolved.clientId)] });
    expect([answer.status, answer.body]).toEqual([200, {}]);
    const body = await resultOf(request.id);
    expect([body.status, codes(body)]).toEqual(['verified', []]);
    const claims = (body.result as unknown as { credentials: Array<{ claims: Record<string, unknown> }> }).credentials[0]!.claims;
    expect(claims).toEqual({ age_over_18: true });
  });

  test('presents a JWT VC in a VP-JWT bound to nonce and client_id', async () => {
    const request = await ask(DEGREE_QUERY, mode);
    const resolved = await wallet.resolve(request.authorizationRequestUri);
    const { jwt } = await uni.issue({ type: 'EducationCredential', holder: holder.did, claims: SAMPLE_CLAIMS.EducationCredential, schema: schemaReference('EducationCredential') });
    const vp = await holder.present([jwt], resolved.nonce, resolved.clientId);
    expect((await wallet.respond(resolved, { diploma: [vp] })).status).toBe(200);
    const body = await resultOf(request.id);
    expect([body.status, codes(body)]).toEqual(['verified', []]);
  });
});

test('negative cases each answer their own code, never a 5xx', async () => {
  const answerWith = async (query: unknown, vpToken: (nonce: string, aud: string) => Promise<Record<string, string[]>>) => {
    const request = await ask(query);
    const resolved = await wallet.resolve(request.authorizationRequestUri);
    const answer = await wallet.respond(resolved, await vpToken(resolved.nonce, resolved.clientId));
    expect(answer.status).toBe(200);
    return codes(await resultOf(request.id));
  };
  const other = Wallet.createRandom();
  expect(await answerWith(AGE_QUERY, async (n, a) => ({ id_card: [await presentAge(await idCard(undefined, other as never), n, a)] }))).toEqual(['sd_jwt_signature_invalid']);
  expect(await answerWith(AGE_QUERY, async (n) => ({ id_card: [await presentAge(await idCard(), n, 'decentralized_identifier:did:ethr:0x7a69:0x0000000000000000000000000000000000000001')] }))).toEqual(['kb_jwt_audience_mismatch']);
  expect(await answerWith(AGE_QUERY, async (_n, a) => ({ id_card: [await presentAge(await idCard(), 'another-nonce', a)] }))).toEqual(['kb_jwt_nonce_mismatch']);
  expect(await answerWith(AGE_QUERY, async (n, a) => ({ id_card: [await presentAge(await idCard(), n, a, new Date(now().getTime() + 3_600_000))] }))).toEqual(['kb_jwt_iat_invalid']);
  expect(await answerWith(AGE_QUERY, async (n, a) => ({ id_card: [await presentAge(await idCard(), n, a, new Date(now().getTime() - 86_400_000))] }))).toEqual(['kb_jwt_iat_invalid']);
  expect(
    await answerWith(AGE_QUERY, async (n, a) => {
      const presented = await presentAge(await idCard(), n, a);
      const parts = presented.split('~');
      const [h, p, s] = parts.at(-1)!.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sd_hash: 'x' })).toString('base64url')}`;
      return { id_card: [[...parts.slice(0, -1), `${forged}.${s}`].join('~')] };
    }),
  ).toEqual(['kb_jwt_signature_invalid']);
  const index = 4242;
  const revoked = await idCard(index);
  await waitForMirrors(verifier, await idAgency.revoke(index));
  expect(await answerWith(AGE_QUERY, async (n, a) => ({ id_card: [await presentAge(revoked, n, a)] }))).toEqual(['credential_revoked']);
  // A credential without status entries could never be revoked: refused, whatever its signature says.
  const statusless = await idCard(undefined, idAgency.identity, false);
  expect(await answerWith(AGE_QUERY, async (n, a) => ({ id_card: [await presentAge(statusless, n, a)] }))).toEqual(['status_invalid']);
  // The DCQL query is not answered: the presentation discloses another claim than the one asked.
  expect(
    await answerWith(AGE_QUERY, async (n, a) => ({
      id_card: [await presentSdJwtVc(await idCard(), { claimPaths: [['region']], nonce: n, audience: a, holderSigner: holderKey.sign, holderAlg: 'ES256', now: now() })],
    })),
  ).toEqual(['requested_claim_missing']);
});

test('request objects are handed out once; state, replay and expiry are refused with their codes', async () => {
  const request = await ask(AGE_QUERY);
  const resolved = await wallet.resolve(request.authorizationRequestUri);
  const again = await fetch(`${verifier.url}/oid4vp/requests/${request.id}/request-object`);
  expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([409, 'request_uri_used']);

  const vpToken = JSON.stringify({ id_card: [await presentAge(await idCard(), resolved.nonce, resolved.clientId)] });
  const postForm = (fields: Record<string, string>) =>
    fetch(`${verifier.url}/oid4vp/responses/${request.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }).then(
      async (r) => [r.status, ((await r.json()) as { code?: string }).code],
    );
  expect(await postForm({ vp_token: vpToken, state: 'not-the-state' })).toEqual([400, 'state_mismatch']);
  expect(await postForm({ vp_token: '{not json', state: String(resolved.payload.state) })).toEqual([400, 'response_invalid']);
  expect((await postForm({ vp_token: vpToken, state: String(resolved.payload.state) }))[0]).toBe(200);
  expect(await postForm({ vp_token: vpToken, state: String(resolved.payload.state) })).toEqual([409, 'response_replayed']);

  const late = await ask(AGE_QUERY);
  const lateResolved = await wallet.resolve(late.authorizationRequestUri);
  offsetMs += 3_600_000;
  try {
    const reply = await wallet.respond(lateResolved, { id_card: ['x~'] });
    expect([reply.status, reply.body.code]).toEqual([410, 'request_expired']);
    expect((await resultOf(late.id)).status).toBe('expired');
  } finally {
    offsetMs -= 3_600_000;
  }
});

test('a request beyond the registration on chain is refused; an account without a key cannot sign', async () => {
  const over = await post<{ code: string }>(
    `${verifier.url}/oid4vp/requests`,
    { dcql_query: { credentials: [{ id: 'id', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: [{ path: ['citizenIdNumber'] }] }] } },
    withKey(apiKey),
  );
  expect([over.status, over.body.code]).toEqual([403, 'request_not_registered']);
  const bad = await post<{ code: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: { credentials: [{ id: 'x', format: 'mso_mdoc' }] } }, withKey(apiKey));
  expect([bad.status, bad.body.code]).toEqual([400, 'invalid_request']);
  const legacy = await post<{ apiKey: string }>(`${verifier.url}/admin/verifiers`, { name: 'Legacy' }, { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` });
  const keyless = await post<{ code: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: AGE_QUERY }, withKey(legacy.body.apiKey));
  expect([keyless.status, keyless.body.code]).toEqual([409, 'verifier_key_missing']);
  void nowSeconds;
});

test('the owner follows a request live by server-sent events, polled from the database; nobody else can', async () => {
  const request = await ask(AGE_QUERY);
  const events = `${verifier.url}/oid4vp/requests/${request.id}/events`;
  expect((await fetch(events)).status).toBe(401);
  const other = await post<{ apiKey: string }>(`${verifier.url}/admin/verifiers`, { name: 'Someone else' }, { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` });
  expect((await fetch(events, { headers: { 'x-api-key': other.body.apiKey } })).status).toBe(404);

  const stream = await fetch(events, { headers: { 'x-api-key': apiKey } });
  expect([stream.status, stream.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (needle: string) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  };
  await readUntil('"status":"pending"');
  const resolved = await wallet.resolve(request.authorizationRequestUri);
  await wallet.respond(resolved, { id_card: [await presentAge(await idCard(), resolved.nonce, resolved.clientId)] });
  await readUntil('"status":"verified"');
  // The stream ends once the status is final.
  expect((await reader.read()).done).toBe(true);
  expect(text.match(/^data: /gm)).toHaveLength(2);
});
