import { verifyCredential } from 'did-jwt-vc';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { createDidResolver } from '../../libs/credentials/src/index.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { WalletUser } from '../support/wallet.js';
import { startHarness, type CreatedAgency, type Client, type IssuerHarness } from './issuer-harness.js';

let h: IssuerHarness;
let university: CreatedAgency & { client: Client };
let bureau: CreatedAgency & { client: Client };
let user: WalletUser;

beforeAll(async () => {
  h = await startHarness();
  university = await h.createAgency(['EducationCredential'], { nameZh: '南京大学', nameEn: 'Nanjing University' });
  bureau = await h.createAgency(['NationalIdCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing Public Security Bureau' });
  user = new WalletUser(h.fixture);
  expect((await user.run('init')).code).toBe(0);
});
afterAll(() => h.close());

test('an agency offers a diploma; the wallet receives it over OID4VCI with the PIN; it names the holder', async () => {
  const offer = await university.client.post('/oid4vci/offers', { type: 'EducationCredential', claims: SAMPLE_CLAIMS.EducationCredential, txCode: true });
  expect(offer.status).toBe(201);
  expect(offer.body.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
  expect(offer.body.txCode).toMatch(/^[0-9]{6}$/);
  expect(offer.body.credentialIssuer).toBe(`${h.issuer.url}/oid4vci/${university.id}`);

  const received = await user.run('receive', '--pin', offer.body.txCode, offer.body.offerUri);
  expect(received.err).toBe('');
  expect(received.out).toContain('Nanjing University');

  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const jwt = store.data.credentials.at(-1)!.jwt;
  const resolver = createDidResolver({ chainId: h.fixture.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: h.fixture.didRegistry });
  const verified = await verifyCredential(jwt, resolver);
  expect(verified.verifiableCredential.issuer.id).toBe(university.did);
  expect(verified.verifiableCredential.credentialSubject.id).toBe(store.data.holder.did);
  // Issued through the one issuance path: recorded, with a status index, for the university only.
  const records = await university.client.get(`/credentials/${encodeURIComponent(String(verified.payload.jti))}`);
  expect(records.status).toBe(200);
  expect(records.body.subjectDid).toBe(store.data.holder.did);

  // Single use: the same offer again is refused.
  const replay = await user.run('receive', '--pin', offer.body.txCode, offer.body.offerUri);
  expect(replay.err).toContain('refused the offer');
});

test('offers are checked when made: type allowed for the agency, claims valid, API key required', async () => {
  const notAllowed = await bureau.client.post('/oid4vci/offers', { type: 'EducationCredential', claims: SAMPLE_CLAIMS.EducationCredential });
  expect([notAllowed.status, notAllowed.body.code]).toEqual([403, 'credential_type_not_allowed']);
  const badClaims = await bureau.client.post('/oid4vci/offers', {
    type: 'NationalIdCredential',
    claims: { ...SAMPLE_CLAIMS.NationalIdCredential, citizenIdNumber: '11010519491231002Y' },
  });
  expect([badClaims.status, badClaims.body.code]).toEqual([400, 'invalid_claims']);
  const noKey = await h.anonymous.post('/oid4vci/offers', { type: 'NationalIdCredential', claims: SAMPLE_CLAIMS.NationalIdCredential });
  expect([noKey.status, noKey.body.code]).toEqual([401, 'unauthorized']);
  const junk = await bureau.client.post('/oid4vci/offers', { type: 'NationalIdCredential', claims: 'x', extra: 1 });
  expect([junk.status, junk.body.code]).toEqual([400, 'invalid_request']);
});

test('each agency is its own Credential Issuer, with its names in its metadata', async () => {
  const meta = await h.anonymous.get(`/.well-known/openid-credential-issuer/oid4vci/${bureau.id}`);
  expect(meta.status).toBe(200);
  expect(meta.body.credential_issuer).toBe(`${h.issuer.url}/oid4vci/${bureau.id}`);
  // Each accredited type in both formats: JWT VC bound to a DID, SD-JWT VC bound to a key.
  expect(Object.keys(meta.body.credential_configurations_supported)).toEqual(['NationalIdCredential_jwt', 'NationalIdCredential_sd_jwt']);
  expect(JSON.stringify(meta.body.display)).toContain('南京市公安局');
  const unknown = await h.anonymous.get('/.well-known/openid-credential-issuer/oid4vci/00000000-0000-4000-8000-000000000000');
  expect(unknown.status).toBe(404);
  // A code of the bureau is worthless at the university's token endpoint.
  const offer = await bureau.client.post('/oid4vci/offers', { type: 'NationalIdCredential', claims: SAMPLE_CLAIMS.NationalIdCredential });
  const code = JSON.parse(new URL(offer.body.offerUri).searchParams.get('credential_offer')!).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
    'pre-authorized_code'
  ];
  const response = await fetch(`${h.issuer.url}/oid4vci/${university.id}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
});
