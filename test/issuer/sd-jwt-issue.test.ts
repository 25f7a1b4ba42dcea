import { presentSdJwtVc, verifySdJwtVc } from '../../libs/credentials/src/index.js';
import { ecKey, type TestKey } from '../support/sd-jwt-fixtures.js';
import { chainIssuerKeys, verifyIssued } from '../support/sd-jwt-chain.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { decodeJwt } from './jwt.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';

/**
 * SD-JWT VC through the issuer's VC-API and bulk jobs: signed by the agency key (checked against its did:ethr
 * on chain), bound to the holder key given, the agency's status lists, derived claims; hostile holder keys
 * refused with stable codes; the JWT VC default untouched.
 */

let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
const TYPES = ['NationalIdCredential', 'EducationCredential', 'PropertyCredential'];
const p256 = ecKey('P-256');
const k1 = ecKey('secp256k1');

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(TYPES, { nameZh: '综合测试机构', nameEn: 'Test agency' });
});
afterAll(() => h?.close());

const sdJwtRequest = (type: string, holder: TestKey, subject?: string, claims = CLAIMS[type]) => ({
  credential: { type: ['VerifiableCredential', type], credentialSubject: { ...(subject ? { id: subject } : {}), ...claims } },
  options: { format: 'dc+sd-jwt', holderJwk: holder.jwk },
});

/** What every SD-JWT VC of the agency must be, checked against the chain. */
async function expectAgencySdJwt(sdJwt: string, type: string, holder: TestKey) {
  const verified = await verifyIssued(h.fixture, sdJwt);
  expect(verified.problems).toEqual([]);
  const view = verified.view!;
  expect(view).toMatchObject({ format: 'dc+sd-jwt', type, issuer: agency.did, kid: agency.signingKeyId, holderKey: holder.jwk });
  // The same entries as a JWT VC: the agency's revocation and suspension lists, one index; a property title
  // also its superseded and encumbered lists.
  const lists = agency.statusLists as Record<string, number>;
  const purposes = type === 'PropertyCredential' ? ['revocation', 'suspension', 'superseded', 'encumbered'] : ['revocation', 'suspension'];
  expect(view.statusEntries.map((e) => [e.statusPurpose, e.statusListId])).toEqual(purposes.map((p) => [p, String(lists[p])]));
  expect(view.statusEntries.every((e) => e.id.includes(`/${agency.identityAddress}/`) && e.statusRegistry === h.fixture.statusRegistry)).toBe(true);
  expect(view.statusEntries[0].statusListIndex).toBe(view.statusEntries[1].statusListIndex);
  for (const [name, value] of Object.entries(CLAIMS[type])) expect(view.claims[name]).toEqual(value);
  return view;
}

describe.each(TYPES)('%s as SD-JWT VC over the API', (type) => {
  it.each([
    ['P-256', p256],
    ['secp256k1', k1],
  ])('bound to a %s holder key: verifies with the agency key from chain, recorded with its format', async (_curve, holder) => {
    const res = await agency.client.post('/credentials/issue', sdJwtRequest(type, holder));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['certificateNumber', 'credentialId', 'format', 'verifiableCredential']);
    expect(res.body.format).toBe('dc+sd-jwt');
    const view = await expectAgencySdJwt(res.body.verifiableCredential, type, holder);
    const record = await agency.client.get(`/credentials/${encodeURIComponent(res.body.credentialId)}`);
    expect(record.body).toMatchObject({ format: 'dc+sd-jwt', type, statusIndex: Number(view.statusEntries[0].statusListIndex) });
    // No subject DID given: the record names the holder key by its RFC 9278 thumbprint.
    expect(record.body.subjectDid).toMatch(/^urn:ietf:params:oauth:jwk-thumbprint:sha-256:[A-Za-z0-9_-]{43}$/);
  });
});

test('derived claims are added at issuance, and the holder key binds a presentation', async () => {
  const res = await agency.client.post('/credentials/issue', sdJwtRequest('NationalIdCredential', p256, holderDid(1)));
  const view = await expectAgencySdJwt(res.body.verifiableCredential, 'NationalIdCredential', p256);
  expect(view.claims).toMatchObject({ age_over_18: true, region: expect.objectContaining({ province: expect.any(String) }) });
  expect((await agency.client.get(`/credentials/${encodeURIComponent(res.body.credentialId)}`)).body.subjectDid).toBe(holderDid(1));

  const now = new Date();
  const presentation = await presentSdJwtVc(res.body.verifiableCredential, {
    claimPaths: [['age_over_18']],
    nonce: 'n-1',
    audience: 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222',
    holderSigner: p256.sign,
    holderAlg: p256.alg,
    now,
  });
  const checked = await verifySdJwtVc(presentation, {
    resolveIssuerKey: chainIssuerKeys(h.fixture),
    expectedNonce: 'n-1',
    expectedAudience: 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222',
    now,
  });
  expect(checked.problems).toEqual([]);
  expect(checked.view!.claims).toEqual({ age_over_18: true });
  // Signed by another key, the same presentation is refused: the binding is to the key given at issuance.
  const stolen = await presentSdJwtVc(res.body.verifiableCredential, { claimPaths: [['age_over_18']], nonce: 'n-1', audience: 'x', holderSigner: k1.sign, holderAlg: 'ES256', now });
  const refused = await verifySdJwtVc(stolen, { resolveIssuerKey: chainIssuerKeys(h.fixture), expectedNonce: 'n-1', expectedAudience: 'x', now });
  expect(refused.ok).toBe(false);
});

test('without options the credential is a JWT VC exactly as before, recorded as jwt_vc_json', async () => {
  const res = await agency.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(2)));
  expect(res.status).toBe(201);
  expect(Object.keys(res.body)).toEqual(['verifiableCredential', 'certificateNumber']);
  const { header, payload } = decodeJwt(res.body.verifiableCredential);
  expect(header).toEqual({ alg: 'ES256K', typ: 'JWT', kid: agency.signingKeyId });
  expect(payload.sub).toBe(holderDid(2));
  const record = await agency.client.get(`/credentials/${encodeURIComponent(String(payload.jti))}`);
  expect(record.body).toMatchObject({ format: 'jwt_vc_json', subjectDid: holderDid(2) });
  const explicit = await agency.client.post('/credentials/issue', { ...issueRequest('EducationCredential', holderDid(3)), options: { format: 'jwt_vc_json' } });
  expect(Object.keys(explicit.body)).toEqual(['verifiableCredential', 'certificateNumber']);
});

describe('hostile SD-JWT VC requests', () => {
  const offCurve = { ...p256.jwk, y: Buffer.alloc(32, 7).toString('base64url') };
  const type = 'EducationCredential';
  const base = sdJwtRequest(type, p256);
  it.each<[string, number, string, unknown]>([
    ['no holder key', 400, 'invalid_holder_key', { ...base, options: { format: 'dc+sd-jwt' } }],
    ['a private key (d) in the holder key', 400, 'invalid_holder_key', { ...base, options: { format: 'dc+sd-jwt', holderJwk: { ...p256.jwk, d: Buffer.alloc(32, 1).toString('base64url') } } }],
    ['a point off the curve', 400, 'invalid_holder_key', { ...base, options: { format: 'dc+sd-jwt', holderJwk: offCurve } }],
    ['a P-384 key', 400, 'invalid_holder_key', { ...base, options: { format: 'dc+sd-jwt', holderJwk: { ...p256.jwk, crv: 'P-384' } } }],
    ['an RSA key', 400, 'invalid_holder_key', { ...base, options: { format: 'dc+sd-jwt', holderJwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } } }],
    ['a holder key as a string', 400, 'invalid_request', { ...base, options: { format: 'dc+sd-jwt', holderJwk: 'k' } }],
    ['a holder key for a JWT VC', 400, 'invalid_request', { ...issueRequest(type, holderDid(4)), options: { holderJwk: p256.jwk } }],
    ['an unknown format', 400, 'invalid_request', { ...base, options: { format: 'ldp_vc', holderJwk: p256.jwk } }],
    ['a subject id that is not a DID', 400, 'invalid_subject', sdJwtRequest(type, p256, 'not a did')],
    ['claims that break the schema', 400, 'invalid_claims', sdJwtRequest(type, p256, undefined, { ...CLAIMS[type], degree: 'phd' })],
  ])('%s → %i %s', async (_name, status, code, body) => {
    const res = await agency.client.post('/credentials/issue', body);
    expect([res.status, res.body.code]).toEqual([status, code]);
  });
});

test('Idempotency-Key: a retry gets the same SD-JWT VC and one record', async () => {
  const client = agency.client.withHeaders({ 'idempotency-key': 'sd-jwt-0001' });
  const body = sdJwtRequest('PropertyCredential', k1);
  const first = await client.post('/credentials/issue', body);
  const again = await client.post('/credentials/issue', body);
  expect(first.status).toBe(201);
  expect(again.body).toEqual(first.body);
  const other = await client.post('/credentials/issue', sdJwtRequest('PropertyCredential', p256));
  expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
});

test('bulk items take the same options: each type, both curves, one bad key reported on its own', async () => {
  const items = [
    sdJwtRequest('NationalIdCredential', p256),
    sdJwtRequest('EducationCredential', k1, holderDid(5)),
    sdJwtRequest('PropertyCredential', p256),
    { ...sdJwtRequest('EducationCredential', p256), options: { format: 'dc+sd-jwt', holderJwk: { ...p256.jwk, d: 'x' } } },
    issueRequest('EducationCredential', holderDid(6)),
  ];
  const created = await agency.client.post('/credentials/issue/bulk', { items });
  expect(created.status).toBe(202);
  const done = await waitFor(async () => {
    const res = await agency.client.get(`/credentials/issue/bulk/${created.body.id}`);
    return res.body.state === 'done' ? res.body : undefined;
  });
  expect(done).toMatchObject({ succeeded: 4, failed: 1, errors: [{ position: 3, code: 'invalid_holder_key', details: expect.anything() }] });
  const results = (await agency.client.get(`/credentials/issue/bulk/${created.body.id}/results`)).body.items;
  await expectAgencySdJwt(results[0].verifiableCredential, 'NationalIdCredential', p256);
  await expectAgencySdJwt(results[1].verifiableCredential, 'EducationCredential', k1);
  await expectAgencySdJwt(results[2].verifiableCredential, 'PropertyCredential', p256);
  expect(decodeJwt(results[4].verifiableCredential).header.typ).toBe('JWT');
  const records = await Promise.all([0, 1, 4].map((i) => agency.client.get(`/credentials/${encodeURIComponent(results[i].credentialId)}`)));
  expect(records.map((r) => r.body.format)).toEqual(['dc+sd-jwt', 'dc+sd-jwt', 'jwt_vc_json']);
});

test('throughput: SD-JWT VCs over HTTP, 4 at a time, beside JWT VCs (a rough figure for the log)', async () => {
  const total = 60;
  const rate = async (body: () => unknown) => {
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        const res = await agency.client.post('/credentials/issue', body());
        expect(res.status).toBe(201);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return Math.round((total * 1000) / (Date.now() - started));
  };
  const sdJwt = await rate(() => sdJwtRequest('NationalIdCredential', p256));
  const jwt = await rate(() => issueRequest('NationalIdCredential', holderDid(7)));
  console.log(`issue over HTTP, ${total} each, 4 at a time: dc+sd-jwt ${sdJwt}/s, jwt_vc_json ${jwt}/s`);
  const list = await agency.client.get('/credentials?type=NationalIdCredential&limit=1000');
  expect(list.body.items.filter((r: { format: string }) => r.format === 'dc+sd-jwt').length).toBeGreaterThanOrEqual(total);
});
