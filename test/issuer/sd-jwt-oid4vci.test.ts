import { createHmac } from 'node:crypto';
import { PRE_AUTHORIZED_CODE_GRANT, typeMetadata, vctOf, getCredentialType } from '../../libs/credentials/src/index.js';
import { ecKey, type TestKey } from '../support/sd-jwt-fixtures.js';
import { verifyIssued } from '../support/sd-jwt-chain.js';
import { CLAIMS } from './claims.js';
import { startHarness, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { offerObjectOf } from '../support/offer-code.js';

/**
 * OID4VCI 1.0 with `dc+sd-jwt` on the issuer, over raw HTTP: metadata for both formats, offers naming the
 * format, `jwk` key proofs (P-256 and secp256k1) whose key becomes `cnf.jwk`, and hostile proofs refused with
 * `invalid_proof` / `invalid_nonce` without burning the access token.
 */

let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let issuerUrl: string;
const TYPES = ['NationalIdCredential', 'EducationCredential', 'PropertyCredential'];
const p256 = ecKey('P-256');
const k1 = ecKey('secp256k1');

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(TYPES, { nameZh: '南京市综合机构', nameEn: 'Nanjing Agency' });
  issuerUrl = `${h.issuer.url}/oid4vci/${agency.id}`;
});
afterAll(() => h?.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** An offer of `type` in `format`, redeemed for an access token. */
async function accessToken(type: string, format = 'dc+sd-jwt'): Promise<{ token: string; configurationId: string }> {
  const offer = await agency.client.post('/oid4vci/offers', { type, format, claims: CLAIMS[type] });
  expect(offer.status).toBe(201);
  const object = await offerObjectOf(offer.body.offerUri);
  const code = object.grants[PRE_AUTHORIZED_CODE_GRANT]['pre-authorized_code'];
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': code });
  const token = await post(`${issuerUrl}/token`, form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  expect(token.status).toBe(200);
  return { token: token.body.access_token, configurationId: object.credential_configuration_ids[0] };
}

const nonce = async () => (await post(`${issuerUrl}/nonce`, '', {})).body.c_nonce as string;

/** A jwt key proof signed by `key`, with the header and payload overridable (hostile holders). */
async function proof(key: TestKey, n: string, header: Record<string, unknown> = {}, payload: Record<string, unknown> = {}, signer = key) {
  const input = `${b64({ typ: 'openid4vci-proof+jwt', alg: key.alg, jwk: key.jwk, ...header })}.${b64({ aud: issuerUrl, iat: now(), nonce: n, ...payload })}`;
  return `${input}.${await signer.sign(input)}`;
}

function requestCredential(token: string, configurationId: string, jwt: string) {
  return post(`${issuerUrl}/credential`, JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [jwt] } }), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
}

test('metadata: every type in both formats; dc+sd-jwt configurations name the vct, jwk binding and claims from Type Metadata', async () => {
  const meta = (await h.anonymous.get(`/.well-known/openid-credential-issuer/oid4vci/${agency.id}`)).body;
  const configurations = meta.credential_configurations_supported;
  expect(Object.keys(configurations)).toEqual(TYPES.flatMap((t) => [`${t}_jwt`, `${t}_sd_jwt`]));
  // The JWT VC configuration is what it was before SD-JWT VC.
  expect(configurations.EducationCredential_jwt).toMatchObject({
    format: 'jwt_vc_json',
    cryptographic_binding_methods_supported: ['did:ethr'],
    credential_signing_alg_values_supported: ['ES256K'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256K'] } },
    credential_definition: { type: ['VerifiableCredential', 'EducationCredential'] },
  });
  const sd = configurations.NationalIdCredential_sd_jwt;
  expect(sd).toMatchObject({
    format: 'dc+sd-jwt',
    vct: 'urn:govcred:vct:NationalIdCredential:1',
    cryptographic_binding_methods_supported: ['jwk'],
    credential_signing_alg_values_supported: ['ES256K'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'ES256K'] } },
    credential_metadata: {
      display: [
        { name: '居民身份证', locale: 'zh-CN', description: expect.any(String) },
        { name: expect.any(String), locale: 'en', description: expect.any(String) },
      ],
    },
  });
  expect(sd.credential_definition).toBeUndefined();
  const paths = sd.credential_metadata.claims.map((c: { path: unknown[] }) => JSON.stringify(c.path));
  // Paths into the SD-JWT VC's own claims (Appendix B.2 / C), derived claims included, registered claims not.
  expect(paths).toEqual(expect.arrayContaining(['["nameZh"]', '["citizenIdNumber"]', '["age_over_18"]', '["region","province"]']));
  expect(paths.some((p: string) => p.includes('credentialSubject') || p === '["iss"]' || p === '["cnf"]')).toBe(false);
  const ageOver18 = sd.credential_metadata.claims.find((c: { path: unknown[] }) => c.path.join() === 'age_over_18');
  expect(ageOver18.display.map((d: { locale: string }) => d.locale)).toEqual(['zh-CN', 'en']);
  // One metadata, one catalog: every disclosable claim of the type's Type Metadata is offered.
  for (const type of TYPES) {
    const claims = configurations[`${type}_sd_jwt`].credential_metadata.claims;
    expect(configurations[`${type}_sd_jwt`].vct).toBe(vctOf(getCredentialType(type)!));
    expect(claims).toHaveLength(typeMetadata(type).claims.filter((c) => c.sd === 'always').length);
  }
});

describe.each(TYPES)('%s over OID4VCI as dc+sd-jwt', (type) => {
  it.each([
    ['P-256 (ES256)', p256],
    ['secp256k1 (ES256K)', k1],
  ])('a %s jwk proof: the key becomes cnf.jwk, signed by the agency, its status lists', async (_name, key) => {
    const { token, configurationId } = await accessToken(type);
    expect(configurationId).toBe(`${type}_sd_jwt`);
    const response = await requestCredential(token, configurationId, await proof(key, await nonce()));
    expect(response.status).toBe(200);
    const sdJwt = response.body.credentials[0].credential as string;
    const verified = await verifyIssued(h.fixture, sdJwt);
    expect(verified.problems).toEqual([]);
    expect(verified.view).toMatchObject({ type, issuer: agency.did, holderKey: key.jwk });
    const lists = agency.statusLists as Record<string, number>;
    const purposes = type === 'PropertyCredential' ? ['revocation', 'suspension', 'superseded', 'encumbered'] : ['revocation', 'suspension'];
    expect(verified.view!.statusEntries.map((e) => e.statusListId)).toEqual(purposes.map((p) => String(lists[p])));
    const records = await agency.client.get(`/credentials?type=${type}&limit=1000`);
    expect(records.body.items.at(-1)).toMatchObject({ format: 'dc+sd-jwt', subjectDid: expect.stringMatching(/^urn:ietf:params:oauth:jwk-thumbprint:sha-256:/) });
  });
});

describe('hostile jwk key proofs', () => {
  const type = 'EducationCredential';
  const offCurve = { ...p256.jwk, y: Buffer.alloc(32, 7).toString('base64url') };
  // The description says what was wrong (a stable sentence), the code is OID4VCI's.
  it.each<[string, string, RegExp, (n: string) => Promise<string> | string]>([
    ['a private key (d) in the jwk', 'invalid_proof', /private key material/, (n) => proof(p256, n, { jwk: { ...p256.jwk, d: Buffer.alloc(32, 1).toString('base64url') } })],
    ['a point off the curve', 'invalid_proof', /not a P-256 or secp256k1 public key on its curve/, (n) => proof(p256, n, { jwk: offCurve })],
    ['ES256 with a secp256k1 key', 'invalid_proof', /does not match the key's curve/, (n) => proof(k1, n, { alg: 'ES256' })],
    ['ES256K with a P-256 key', 'invalid_proof', /does not match the key's curve/, (n) => proof(p256, n, { alg: 'ES256K' })],
    ['EdDSA', 'invalid_proof', /alg must be one of ES256, ES256K/, (n) => proof(p256, n, { alg: 'EdDSA' })],
    ['alg none', 'invalid_proof', /not a usable signed JWT: JWT algorithm "none" is not allowed/, (n) => `${b64({ typ: 'openid4vci-proof+jwt', alg: 'none', jwk: p256.jwk })}.${b64({ aud: issuerUrl, iat: now(), nonce: n })}.`],
    [
      'HS256 keyed with the public key',
      'invalid_proof',
      /JWT algorithm "HS256" is not allowed/,
      (n) => {
        const input = `${b64({ typ: 'openid4vci-proof+jwt', alg: 'HS256', jwk: p256.jwk })}.${b64({ aud: issuerUrl, iat: now(), nonce: n })}`;
        return `${input}.${createHmac('sha256', p256.jwk.x).update(input).digest('base64url')}`;
      },
    ],
    ['signed by another key than the jwk', 'invalid_proof', /proof jwt/, (n) => proof(p256, n, {}, {}, ecKey('P-256'))],
    ['for another audience', 'invalid_proof', /'aud' does not match/, (n) => proof(p256, n, {}, { aud: `${h.issuer.url}/oid4vci/00000000-0000-4000-8000-000000000000` })],
    ['a stale iat', 'invalid_proof', /stale/, (n) => proof(p256, n, {}, { iat: now() - 3600 })],
    ['an iat in the future', 'invalid_proof', /in the future/, (n) => proof(p256, n, {}, { iat: now() + 3600 })],
    ['a crit header', 'invalid_proof', /marks as critical what this verifier does not understand/, (n) => proof(p256, n, { crit: ['urn:example:ext'], 'urn:example:ext': true })],
    ['typ JWT', 'invalid_proof', /Invalid proof/, (n) => proof(p256, n, { typ: 'JWT' })],
    ['a did:ethr kid instead of a jwk', 'invalid_proof', /must carry it in a jwk header/, (n) => proof(k1, n, { jwk: undefined, kid: `${agency.did}#controller` })],
    ['a nonce the issuer never gave', 'invalid_nonce', /c_nonce is unknown/, () => proof(p256, 'made-up')],
  ])('%s → %s, and the token survives', async (_name, expected, why, make) => {
    const { token, configurationId } = await accessToken(type);
    const refused = await requestCredential(token, configurationId, await make(await nonce()));
    expect(refused).toMatchObject({ status: 400, body: { error: expected } });
    expect(refused.body.error_description).toMatch(why);
    const ok = await requestCredential(token, configurationId, await proof(p256, await nonce()));
    expect(ok.status).toBe(200);
  });

  test('a reused nonce is refused', async () => {
    const n = await nonce();
    const first = await accessToken(type);
    expect((await requestCredential(first.token, first.configurationId, await proof(p256, n))).status).toBe(200);
    const second = await accessToken(type);
    expect(await requestCredential(second.token, second.configurationId, await proof(p256, n))).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
  });

  test('a jwk proof does not get a jwt_vc_json credential (bound to a DID), nor the other configuration', async () => {
    const jwt = await accessToken(type, 'jwt_vc_json');
    expect(jwt.configurationId).toBe(`${type}_jwt`);
    expect(await requestCredential(jwt.token, jwt.configurationId, await proof(p256, await nonce()))).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
    const sd = await accessToken(type);
    expect(await requestCredential(sd.token, `${type}_jwt`, await proof(p256, await nonce()))).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
  });
});

test('an offer in an unknown format is refused', async () => {
  const res = await agency.client.post('/oid4vci/offers', { type: 'EducationCredential', format: 'mso_mdoc', claims: CLAIMS.EducationCredential });
  expect([res.status, res.body.code]).toEqual([400, 'invalid_request']);
});
