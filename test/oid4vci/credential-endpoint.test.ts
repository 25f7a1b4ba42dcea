import { createHmac } from 'node:crypto';
import { ES256KSigner, createJWS, type JWTHeader } from 'did-jwt';
import { Wallet, getBytes } from 'ethers';
import {
  GovcredError,
  MemoryOid4vciStore,
  Oid4vciIssuerService,
  PRE_AUTHORIZED_CODE_GRANT,
  createDidResolver,
  type IssueCredential,
} from '../../libs/credentials/src/index.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { CLAIMS, agencyIssue, didJwtHolder } from '../support/oid4vci-fixtures.js';
import { Oid4vciTestServer } from '../support/oid4vci-server.js';

/**
 * The credential endpoint against hostile requests, over raw HTTP (no client library in the way): every
 * failure must be the specific OID4VCI / OAuth error, and a failed proof must not burn the access token.
 */

let f: Fixture;
let server: Oid4vciTestServer;
let service: Oid4vciIssuerService;
let issuer: string;
let now: Date;
let issue: IssueCredential;
const store = new MemoryOid4vciStore();

function addIssuer(id: string): Oid4vciIssuerService {
  const s = new Oid4vciIssuerService({
    credentialIssuer: server.issuerUrl(id),
    configurations: { id_card: { type: 'NationalIdCredential' }, diploma: { type: 'EducationCredential' } },
    store,
    resolver: createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry }),
    clock: () => now,
    allowHttp: true,
    nonceTtlSeconds: 60,
  });
  server.issuers.set(id, { service: s, issue: (input) => issue(input) });
  return s;
}

beforeAll(async () => {
  f = await deployFixture();
  server = await new Oid4vciTestServer().start();
  service = addIssuer('psb');
  issuer = server.issuerUrl('psb');
});
beforeEach(() => {
  now = new Date();
  issue = agencyIssue(Wallet.createRandom() as unknown as Wallet, f.statusRegistry);
});
afterAll(async () => {
  await server.stop();
  f.provider.destroy();
});

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function accessToken(s = service, configurationId = 'id_card'): Promise<string> {
  const { preAuthorizedCode } = await s.createOffer({ configurationId, context: { claims: CLAIMS.NationalIdCredential } });
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': preAuthorizedCode });
  const response = await post(s.endpoints.token, form.toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });
  expect(response.status).toBe(200);
  return response.body.access_token as string;
}

async function nonce(s = service): Promise<string> {
  const response = await post(s.endpoints.nonce, '', {});
  expect(response.headers.get('cache-control')).toBe('no-store');
  return response.body.c_nonce as string;
}

const holder = didJwtHolder();
const header = { typ: 'openid4vci-proof+jwt', alg: 'ES256K', kid: `${holder.did}#controller` };
const sign = (payload: Record<string, unknown>, h: Record<string, unknown> = header) => holder.sign(h, payload);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function requestCredential(token: string | undefined, body: unknown, s = service) {
  return post(s.endpoints.credential, JSON.stringify(body), { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) });
}
const withProof = (jwt: string, configurationId = 'id_card') => ({ credential_configuration_id: configurationId, proofs: { jwt: [jwt] } });

describe('bad key proofs', () => {
  const iat = () => Math.floor(now.getTime() / 1000);
  const other = Wallet.createRandom();
  it.each<[string, string, (n: string) => Promise<string> | string]>([
    ['signed by a key that is not the kid DID’s', 'invalid_proof', (n) => createJWS({ aud: issuer, iat: iat(), nonce: n }, ES256KSigner(getBytes(other.privateKey)), header as unknown as Partial<JWTHeader>)],
    ['alg none, no signature', 'invalid_proof', (n) => `${b64({ ...header, alg: 'none' })}.${b64({ aud: issuer, iat: iat(), nonce: n })}.`],
    ['alg none with a signature', 'invalid_proof', async (n) => `${b64({ ...header, alg: 'none' })}.${b64({ aud: issuer, iat: iat(), nonce: n })}.${(await sign({ aud: issuer, iat: iat(), nonce: n })).split('.')[2]}`],
    [
      'alg HS256 keyed with the DID',
      'invalid_proof',
      (n) => {
        const input = `${b64({ ...header, alg: 'HS256' })}.${b64({ aud: issuer, iat: iat(), nonce: n })}`;
        return `${input}.${createHmac('sha256', holder.did).update(input).digest('base64url')}`;
      },
    ],
    ['for another audience', 'invalid_proof', (n) => sign({ aud: server.issuerUrl('elsewhere'), iat: iat(), nonce: n })],
    ['a plain JWT (typ JWT)', 'invalid_proof', (n) => sign({ aud: issuer, iat: iat(), nonce: n }, { ...header, typ: 'JWT' })],
    ['with a jwk instead of a DID kid', 'invalid_proof', (n) => sign({ aud: issuer, iat: iat(), nonce: n }, { typ: header.typ, alg: 'ES256K', jwk: { kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' } })],
    ['a kid naming a key the DID does not have', 'invalid_proof', (n) => sign({ aud: issuer, iat: iat(), nonce: n }, { ...header, kid: `${holder.did}#delegate-9` })],
    ['without iat', 'invalid_proof', (n) => sign({ aud: issuer, nonce: n })],
    ['without a nonce', 'invalid_proof', () => sign({ aud: issuer, iat: iat() })],
    ['with a nonce the issuer never gave', 'invalid_nonce', () => sign({ aud: issuer, iat: iat(), nonce: 'made-up' })],
  ])('%s → %s', async (_name, expected, makeProof) => {
    const token = await accessToken();
    const response = await requestCredential(token, withProof(await makeProof(await nonce())));
    expect(response).toMatchObject({ status: 400, body: { error: expected } });
    // The token survives a bad proof: a good one still gets the credential.
    const ok = await requestCredential(token, withProof(await sign({ aud: issuer, iat: iat(), nonce: await nonce() })));
    expect(ok.status).toBe(200);
  });
});

describe('nonces', () => {
  const proofWith = (n: string) => sign({ aud: issuer, iat: Math.floor(now.getTime() / 1000), nonce: n });

  test('a nonce is good once', async () => {
    const n = await nonce();
    expect((await requestCredential(await accessToken(), withProof(await proofWith(n)))).status).toBe(200);
    expect(await requestCredential(await accessToken(), withProof(await proofWith(n)))).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
  });

  test('an expired nonce is refused', async () => {
    const n = await nonce();
    const token = await accessToken();
    now = new Date(now.getTime() + 61_000);
    expect(await requestCredential(token, withProof(await proofWith(n)))).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
  });

  test("another issuer's nonce is refused", async () => {
    const n = await nonce(addIssuer('university'));
    expect(await requestCredential(await accessToken(), withProof(await proofWith(n)))).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
  });
});

describe('access tokens', () => {
  const goodProof = async () => withProof(await sign({ aud: issuer, iat: Math.floor(now.getTime() / 1000), nonce: await nonce() }));

  test('no token, a made-up token, a used token, an expired token, another agency’s token → 401 invalid_token', async () => {
    const used = await accessToken();
    expect((await requestCredential(used, await goodProof())).status).toBe(200);
    const expired = await accessToken();
    const foreign = await accessToken(addIssuer('land-registry'));
    for (const token of [undefined, 'bm90LWEtdG9rZW4', used, foreign]) {
      const response = await requestCredential(token, await goodProof());
      expect(response).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
    now = new Date(now.getTime() + 301_000);
    expect(await requestCredential(expired, await goodProof())).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
  });

  test('a token gets only the offered configuration', async () => {
    const token = await accessToken();
    const proof = (await goodProof()).proofs.jwt[0];
    expect(await requestCredential(token, withProof(proof, 'diploma'))).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
    expect(await requestCredential(token, withProof(proof, 'passport'))).toMatchObject({ status: 400, body: { error: 'unknown_credential_configuration' } });
    expect(await requestCredential(token, { credential_identifier: 'x', proofs: { jwt: [proof] } })).toMatchObject({ status: 400, body: { error: 'unknown_credential_identifier' } });
    expect(await requestCredential(token, { credential_configuration_id: 'id_card' })).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
    expect(await requestCredential(token, { credential_configuration_id: 'id_card', proofs: { jwt: [proof, proof] } })).toMatchObject({ status: 400, body: { error: 'invalid_credential_request' } });
    expect(await requestCredential(token, ['id_card'])).toMatchObject({ status: 400, body: { error: 'invalid_credential_request' } });
    expect((await requestCredential(token, withProof(proof))).status).toBe(200);
  });

  test('two requests racing with one token get one credential', async () => {
    const token = await accessToken();
    const responses = await Promise.all([requestCredential(token, await goodProof()), requestCredential(token, await goodProof())]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  test('a refusal by the issuer spends the token; a failure on its side gives it back', async () => {
    issue = async () => {
      throw new GovcredError('forbidden', 'the agency is not accredited for this type');
    };
    const refused = await accessToken();
    expect(await requestCredential(refused, await goodProof())).toMatchObject({ status: 400, body: { error: 'credential_request_denied' } });
    expect(await requestCredential(refused, await goodProof())).toMatchObject({ status: 401, body: { error: 'invalid_token' } });

    issue = async () => {
      throw new Error('chain unreachable: secret internals');
    };
    const failed = await accessToken();
    const response = await requestCredential(failed, await goodProof());
    expect(response).toMatchObject({ status: 500, body: { error: 'server_error' } });
    expect(JSON.stringify(response.body)).not.toContain('secret internals');
    issue = agencyIssue(Wallet.createRandom() as unknown as Wallet, f.statusRegistry);
    expect((await requestCredential(failed, await goodProof())).status).toBe(200);
  });
});

test('two token requests racing with one code get one access token', async () => {
  const { preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: {} });
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': preAuthorizedCode }).toString();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const responses = await Promise.all([1, 2, 3].map(() => post(service.endpoints.token, form, headers)));
  expect(responses.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  expect(responses.filter((r) => r.status === 400).map((r) => r.body.error)).toEqual(['invalid_grant', 'invalid_grant']);
});
