/**
 * The issuer refuses to issue to a subject DID no verifier could accept (wrong EIP-55 checksum, another chain,
 * a public-key form, another method) on every issuance path, with a 4xx and a clear code, and refuses hostile
 * OID4VCI key proofs (broken kid DIDs, `crit`, oversized near-JWTs) as `invalid_proof` without spending the
 * access token. Real chain, real HTTP, the real issuer service.
 */
import { Wallet } from 'ethers';
import { PRE_AUTHORIZED_CODE_GRANT, ethrDid } from '../../libs/credentials/src/index.js';
import { didJwtHolder } from '../support/oid4vci-fixtures.js';
import { badChecksum, nearJwts } from '../support/hostile-jwt.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { preAuthorizedCodeOf } from '../support/offer-code.js';

const ID = 'NationalIdCredential';
let h: IssuerHarness;
let police: CreatedAgency & { client: Client };
const key = Wallet.createRandom();

beforeAll(async () => {
  h = await startHarness();
  police = await h.createAgency([ID]);
});
afterAll(() => h?.close());

/** Subjects a verifier on chain 31337 could never accept as holder: [name, DID]. */
const unacceptable: Array<[string, () => string]> = [
  ['a wrong EIP-55 checksum', () => badChecksum(ethrDid(31337, key.address))],
  ['another chain', () => ethrDid(1, key.address)],
  ['no network (mainnet)', () => `did:ethr:${key.address}`],
  ['a public-key form', () => `did:ethr:0x7a69:${key.signingKey.compressedPublicKey}`],
  ['another DID method', () => 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
  ['a short address', () => 'did:ethr:0x7a69:0x1234'],
];

test.each(unacceptable)('POST /credentials/issue to a subject with %s → 400 subject_did_invalid', async (_name, did) => {
  const res = await police.client.post('/credentials/issue', issueRequest(ID, did()));
  expect([res.status, res.body.code]).toEqual([400, 'subject_did_invalid']);
});

test('control: the same key as a proper did:ethr on the chain, checksummed or lower-case, is issued to', async () => {
  for (const did of [ethrDid(31337, key.address), ethrDid(31337, key.address).toLowerCase()]) {
    const res = await police.client.post('/credentials/issue', issueRequest(ID, did));
    expect([res.status, typeof res.body.verifiableCredential]).toEqual([201, 'string']);
  }
});

test('bulk: each unacceptable subject fails its own item with subject_did_invalid; the others are issued', async () => {
  const items = [issueRequest(ID, holderDid(1)), ...unacceptable.map(([, did]) => issueRequest(ID, did())), issueRequest(ID, holderDid(2))];
  const created = await police.client.post('/credentials/issue/bulk', { items });
  expect(created.status).toBe(202);
  const done = await waitFor(async () => {
    const res = await police.client.get(`/credentials/issue/bulk/${created.body.id}`);
    return res.body.state === 'done' ? res.body : undefined;
  });
  expect(done).toMatchObject({ total: items.length, succeeded: 2, failed: unacceptable.length });
  expect(done.errors.map((e: { position: number; code: string }) => [e.position, e.code])).toEqual(unacceptable.map((_, i) => [i + 1, 'subject_did_invalid']));
});

describe('OID4VCI', () => {
  const base = () => `${h.issuer.url}/oid4vci/${police.id}`;
  async function form(url: string, body: Record<string, string>) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
    return (await response.json()) as Record<string, string>;
  }
  async function accessToken(): Promise<string> {
    const offer = await police.client.post('/oid4vci/offers', { type: ID, claims: CLAIMS[ID] });
    const code = await preAuthorizedCodeOf(offer.body.offerUri);
    return (await form(`${base()}/token`, { grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': code })).access_token;
  }
  async function requestCredential(token: string, proof: string) {
    const response = await fetch(`${base()}/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ credential_configuration_id: `${ID}_jwt`, proofs: { jwt: [proof] } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> & { credentials?: Array<{ credential: unknown }> } };
  }
  /** A key proof by `holder` naming `did` as its kid, with extra header parameters. */
  async function proof(did: string, extraHeader: Record<string, unknown> = {}) {
    const nonce = (await fetch(`${base()}/nonce`, { method: 'POST' }).then((r) => r.json())) as { c_nonce: string };
    return holder.sign(
      { typ: 'openid4vci-proof+jwt', alg: 'ES256K', kid: `${did}#controller`, ...extraHeader },
      { aud: base(), iat: Math.floor(Date.now() / 1000), nonce: nonce.c_nonce },
    );
  }
  const holder = didJwtHolder(31337, key as unknown as Wallet);

  const hostileProofs: Array<[string, RegExp, () => Promise<string>]> = [
    ...unacceptable.map(([name, did]): [string, RegExp, () => Promise<string>] => [`a kid DID with ${name}`, /^subject_did_invalid: /, () => proof(did())]),
    ['crit naming an extension', /critical/, () => proof(holder.did, { crit: ['b64'], b64: false })],
    ['crit empty', /crit/, () => proof(holder.did, { crit: [] })],
    // 20 KB: past the proof's own 8 KiB bound, within the credential endpoint's 32 kB body limit.
    ...nearJwts(20_000).map(([shape, s]): [string, RegExp, () => Promise<string>] => [`a 20 KB near-JWT (${shape})`, /not a usable signed JWT/, async () => s]),
  ];

  test.each(hostileProofs)('a key proof with %s → 400 invalid_proof, and the access token is not spent', async (_name, description, make) => {
    const token = await accessToken();
    const refused = await requestCredential(token, await make());
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_proof']);
    expect(refused.body.error_description).toMatch(description);
    // The wallet may try again with a proper key proof on the same token.
    const issued = await requestCredential(token, await proof(holder.did));
    expect([issued.status, typeof issued.body.credentials?.[0]?.credential]).toEqual([200, 'string']);
  });
});

test.each<[string, string, (deep: string) => string]>([
  ['/credentials/issue', 'claims', (deep) => `{"credential":{"type":["VerifiableCredential","${ID}"],"credentialSubject":{"id":"${holderDid(3)}","extra":${deep}}}}`],
  ['/credentials/issue/bulk', 'an item', (deep) => `{"items":[{"credential":{"type":["VerifiableCredential","${ID}"],"credentialSubject":{"id":"${holderDid(3)}","extra":${deep}}}}]}`],
  ['/oid4vci/offers', 'offer claims', (deep) => `{"type":"${ID}","claims":{"extra":${deep}}}`],
])('POST %s with %s nested 20,000 levels → 400 invalid_request (was a 500 for bulk jobs)', async (path, _what, body) => {
  // Arrays: 2 bytes a level, so 20,000 levels fit in the single-issue route's 64 kB body limit.
  const res = await police.client.post(path, body(`${'['.repeat(20_000)}1${']'.repeat(20_000)}`));
  expect([res.status, res.body.code]).toEqual([400, 'invalid_request']);
});
