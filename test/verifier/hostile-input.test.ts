/**
 * Hostile input beyond the protocol attacks of hostile.test.ts: sizes (near-JWT strings, too many credentials,
 * deep and wide JSON), broken DIDs (wrong EIP-55 checksums in every position), malformed signatures and JOSE
 * `crit`. Each answer is a 200 with its problem codes or a 4xx with its code, never a 5xx, never slow.
 * Real chain, real HTTP; credentials and presentations are signed here with the real keys.
 */
import { schemaReference } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, jwtPayload, nowSeconds } from '../support/credentials.js';
import { NOT_A_CURVE_POINT, badChecksum, nearJwts, nestedArrayJson, nestedObjectJson, signJws, withSignature } from '../support/hostile-jwt.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, createChallenge, createVerifierAccount, post, startTestVerifier, waitForMirrors, withKey, type ResultBody } from '../support/verifier.js';

const ID = 'NationalIdCredential';
const ES256K = { alg: 'ES256K', typ: 'JWT' };
/** Requests answered within this many ms: hostile input is cheap to refuse. */
const FAST_MS = 2_000;

let f: Fixture;
let verifier: RunningVerifier;
let agency: TestAgency;
let apiKey: string;
const holder = new TestHolder();

beforeAll(async () => {
  f = await deployFixture();
  const clockOffsetMs = await chainClockOffsetMs(f.provider);
  agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 30 * 86_400 }]);
  verifier = await startTestVerifier(f, {}, { now: () => new Date(Date.now() + clockOffsetMs) });
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  ({ apiKey } = await createVerifierAccount(verifier.url));
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

const honestJwt = async () => (await agency.issue({ type: ID, holder: holder.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID) })).jwt;
type Payload = Record<string, unknown> & { vc: Record<string, unknown> & { credentialSubject: Record<string, unknown>; credentialStatus: Array<Record<string, unknown>> } };
/** An honest credential's payload, changed by `edit`, signed again with the agency's real key. */
async function reissued(edit: (p: Payload) => void, header: Record<string, unknown> | string = ES256K, payloadText?: (json: string) => string): Promise<string> {
  const payload = jwtPayload(await honestJwt()) as Payload;
  edit(payload);
  const json = JSON.stringify(payload);
  return signJws(agency.identity.privateKey, header, payloadText ? payloadText(json) : json);
}
/** The credential's claims with one more member holding `json` (raw JSON text). */
const withClaim = (json: string) => (text: string) => text.replace('"credentialSubject":{', `"credentialSubject":{"extra":${json},`);

/** A VP-JWT by `holder` for `request`, signed here (did-jwt-vc's helper would run its own slow pattern on the credentials). */
function presentation(
  credentials: unknown[],
  request: { challenge: string; domain: string },
  options: { iss?: string; header?: Record<string, unknown> | string; extra?: string; rawCredential?: string } = {},
) {
  let payload = JSON.stringify({
    iss: options.iss ?? holder.did,
    nonce: request.challenge,
    aud: request.domain,
    nbf: nowSeconds() - 5,
    vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: options.rawCredential ? ['RAW'] : credentials },
  });
  // Raw JSON text goes in where JSON.stringify could not build it (20,000 levels).
  if (options.rawCredential) payload = payload.replace('"RAW"', options.rawCredential);
  if (options.extra) payload = payload.replace('{', `{"extra":${options.extra},`);
  return signJws(holder.wallet.privateKey, options.header ?? ES256K, payload);
}

async function timedPost(path: string, body: unknown) {
  const started = performance.now();
  const reply = await post<ResultBody & { code?: string }>(`${verifier.url}${path}`, body);
  return { ...reply, ms: performance.now() - started };
}
/** The problem codes of a result, or the error code of an error answer (so a failure shows which). */
const codes = (body: ResultBody & { code?: string }) => (body.problems ? [...new Set(body.problems.map((p) => p.code))].sort() : [`error: ${body.code}`]);

/** Credential cases: [name, expected code, make]. Each also travels in an honest presentation. */
const credentialCases: Array<[string, string, () => Promise<unknown>]> = [
  ...nearJwts(1_000).map(([shape, s]): [string, string, () => Promise<unknown>] => [`1 KB near-JWT: ${shape}`, 'jwt_malformed', async () => s]),
  ...nearJwts(20_000).map(([shape, s]): [string, string, () => Promise<unknown>] => [`20 KB near-JWT: ${shape}`, 'jwt_too_large', async () => s]),
  ['150 KB near-JWT in a proof envelope', 'jwt_too_large', async () => ({ proof: { jwt: nearJwts(150_000)[0][1] } })],
  ['claims nested 20,000 levels', 'jwt_too_large', () => reissued(() => {}, ES256K, withClaim(nestedObjectJson(20_000)))],
  ['claims nested one level too deep', 'jwt_too_deep', () => reissued(() => {}, ES256K, withClaim(nestedArrayJson(14)))],
  ['claims with 4,100 values', 'jwt_too_large', () => reissued(() => {}, ES256K, withClaim(`[${'0,'.repeat(4_100)}0]`))],
  ['header nested too deep', 'jwt_too_deep', () => reissued(() => {}, `{"alg":"ES256K","x":${nestedArrayJson(16)}}`)],
  ['header with 5,000 values', 'jwt_too_large', () => reissued(() => {}, `{"alg":"ES256K","x":[${'1,'.repeat(5_000)}1]}`)],
  ['crit naming an extension', 'jwt_crit_unsupported', () => reissued(() => {}, { ...ES256K, b64: false, crit: ['b64'] })],
  ['crit naming an absent parameter', 'jwt_crit_unsupported', () => reissued(() => {}, { ...ES256K, crit: ['exp'] })],
  ['crit empty', 'jwt_malformed', () => reissued(() => {}, { ...ES256K, crit: [] })],
  ['crit a string', 'jwt_malformed', () => reissued(() => {}, { ...ES256K, crit: 'b64' })],
  ['crit with a number', 'jwt_malformed', () => reissued(() => {}, { ...ES256K, crit: [7] })],
  ['issuer DID with a wrong checksum', 'did_invalid', () => reissued((p) => ((p.iss = badChecksum(agency.did)), (p.vc.issuer = { id: p.iss })))],
  ['subject DID with a wrong checksum', 'did_invalid', () => reissued((p) => ((p.sub = badChecksum(holder.did)), (p.vc.credentialSubject.id = p.sub)))],
  ['status registry with a wrong checksum', 'status_invalid', () => reissued((p) => (p.vc.credentialStatus[0].statusRegistry = badChecksum(f.statusRegistry)))],
  ['signature r not a curve point', 'credential_signature_invalid', async () => withSignature(await honestJwt(), NOT_A_CURVE_POINT)],
  ['signature all zeros', 'credential_signature_invalid', async () => withSignature(await honestJwt(), Buffer.alloc(64))],
  ['signature 63 bytes', 'credential_signature_invalid', async () => withSignature(await honestJwt(), NOT_A_CURVE_POINT.subarray(1))],
  ['signature 65 bytes', 'credential_signature_invalid', async () => withSignature(await honestJwt(), Buffer.concat([NOT_A_CURVE_POINT, Buffer.from([1])]))],
  ['signature 1 KB', 'credential_signature_invalid', async () => withSignature(await honestJwt(), Buffer.alloc(1024, 7))],
];
/** Codes after which a credential tells nothing: a presentation then also lacks the requested credential. */
const UNUSABLE = new Set(['jwt_malformed', 'jwt_too_large', 'jwt_too_deep', 'jwt_crit_unsupported', 'did_invalid', 'credential_signature_invalid']);

test.each(credentialCases)('%s → %s (POST /credentials/verify)', async (_name, expected, make) => {
  const { status, body, ms } = await timedPost('/credentials/verify', { verifiableCredential: await make() });
  expect([status, body.verified, codes(body)]).toEqual([200, false, [expected]]);
  expect(ms).toBeLessThan(FAST_MS);
});

test.each(credentialCases)('%s → %s (in a presentation)', async (_name, expected, make) => {
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
  const vp = await presentation([await make()], request);
  const { status, body, ms } = await timedPost('/presentations/verify', { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } });
  const wanted = UNUSABLE.has(expected) ? [expected, 'requested_credential_missing'].sort() : [expected];
  expect([status, body.verified, codes(body)]).toEqual([200, false, wanted]);
  expect(ms).toBeLessThan(FAST_MS);
});

/** Presentation cases: [name, expected codes, make the VP for a request]. */
const presentationCases: Array<[string, string[], (request: { challenge: string; domain: string }) => Promise<unknown>]> = [
  ['21 credentials', ['too_many_credentials'], async (r) => presentation(Array(21).fill(await honestJwt()), r)],
  ['4,000 credentials', ['too_many_credentials'], async (r) => presentation(Array(4_000).fill('a.b.c'), r)],
  ['holder DID with a wrong checksum', ['did_invalid', 'holder_mismatch'], async (r) => presentation([await honestJwt()], r, { iss: badChecksum(holder.did) })],
  ['crit in the presentation', ['jwt_crit_unsupported'], async (r) => presentation([await honestJwt()], r, { header: { ...ES256K, crit: ['nonce'], nonce: 1 } })],
  ['malformed crit in the presentation', ['jwt_malformed'], async (r) => presentation([await honestJwt()], r, { header: { ...ES256K, crit: {} } })],
  ['presentation payload nested 20,000 levels', ['jwt_too_deep'], async (r) => presentation([await honestJwt()], r, { extra: nestedObjectJson(20_000) })],
  ['presentation header nested 20,000 levels', ['jwt_too_deep'], async (r) => presentation([await honestJwt()], r, { header: `{"alg":"ES256K","x":${nestedArrayJson(20_000)}}` })],
  ['presentation with 10,000 values', ['jwt_too_large'], async (r) => presentation([await honestJwt()], r, { extra: `[${'0,'.repeat(10_000)}0]` })],
  [
    'credential envelope nested 20,000 levels',
    ['jwt_too_deep'],
    async (r) => presentation([], r, { rawCredential: `{"proof":{"jwt":"${await honestJwt()}"},"x":${nestedArrayJson(20_000)}}` }),
  ],
  ...nearJwts(190_000).map(([shape, s]): [string, string[], () => Promise<unknown>] => [`190 KB near-JWT as the presentation: ${shape}`, ['jwt_malformed'], async () => s]),
  ['presentation signature r not a curve point', ['presentation_signature_invalid'], async (r) => withSignature(await presentation([await honestJwt()], r), NOT_A_CURVE_POINT)],
  ['presentation signature 65 bytes', ['presentation_signature_invalid'], async (r) => withSignature(await presentation([await honestJwt()], r), Buffer.alloc(65, 1))],
  ['presentation signature 10 bytes', ['presentation_signature_invalid'], async (r) => withSignature(await presentation([await honestJwt()], r), Buffer.alloc(10, 1))],
];

test.each(presentationCases)('%s → %s', async (_name, expected, make) => {
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
  const options = { challenge: request.challenge, domain: request.domain, query: request.query };
  const { status, body, ms } = await timedPost('/presentations/verify', { verifiablePresentation: await make(request), options });
  expect([status, body.verified, codes(body)]).toEqual([200, false, expected]);
  expect(ms).toBeLessThan(FAST_MS);
});

test('control: an honest presentation signed here verifies (the cases above fail for their own reason only)', async () => {
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
  const vp = await presentation([await honestJwt()], request);
  const { status, body } = await timedPost('/presentations/verify', { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } });
  expect([status, body.problems]).toEqual([200, []]);
});

test.each<[string, () => string]>([
  ['a wrong checksum', () => badChecksum(agency.did)],
  ['a bad hex digit', () => 'did:ethr:0x7a69:0xZZ00000000000000000000000000000000000000'],
  ['an address too short', () => 'did:ethr:0x7a69:0x1234'],
])('a query accepting an issuer DID with %s → 400 invalid_request', async (_name, issuer) => {
  const reply = await post<{ code: string; details: { errors: Array<{ path: string }> } }>(`${verifier.url}/presentations/verify`, {
    verifiablePresentation: 'a.b.c',
    options: { challenge: 'c', domain: 'bank.example', query: { credentials: [{ type: ID, issuers: [agency.did, issuer()] }] } },
  }, withKey(apiKey));
  expect([reply.status, reply.body.code, reply.body.details.errors.map((e) => e.path)]).toEqual([400, 'invalid_request', ['/options/query/credentials/0/issuers/1']]);
});

test('a claim named with 10 KB is reported by a cut path and message, not echoed whole', async () => {
  const jwt = await reissued((p) => (p.vc.credentialSubject[`k${'x'.repeat(10_000)}`] = 1));
  const { status, body } = await timedPost('/credentials/verify', { verifiableCredential: jwt });
  expect([status, codes(body)]).toEqual([200, ['claims_invalid']]);
  expect(Math.max(...body.problems.map((p) => p.path.length + p.message.length))).toBeLessThan(700);
});
