import { verifyCredential } from 'did-jwt-vc';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { createDidResolver } from '../../libs/credentials/src/index.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { WalletUser } from '../support/wallet.js';
import { startHarness, type CreatedAgency, type Client, type IssuerHarness } from './issuer-harness.js';
import { preAuthorizedCodeOf } from '../support/offer-code.js';

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
  // By reference (OID4VCI 1.0 §4.1.3): a short URI for the QR code; the wallet fetches the offer.
  expect(offer.body.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
  expect(offer.body.offerUri.length).toBeLessThan(200);
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

  // Single use: the same offer again is refused (its reference now answers 404).
  const replay = await user.run('receive', '--pin', offer.body.txCode, offer.body.offerUri);
  expect(replay.err).toContain('refused the offer');
});

test('an offer by reference: fetched any number of times while it can be redeemed, then gone; the reference is not the code', async () => {
  const offer = await university.client.post('/oid4vci/offers', { type: 'EducationCredential', claims: SAMPLE_CLAIMS.EducationCredential, txCode: true });
  const reference = new URL(new URL(offer.body.offerUri).searchParams.get('credential_offer_uri')!);
  expect(reference.href).toMatch(new RegExp(`^${h.issuer.url}/oid4vci/${university.id}/offers/[A-Za-z0-9_-]{43}$`));
  const first = await fetch(reference);
  expect(first.status).toBe(200);
  // Wallets in browsers on other origins read it; nothing caches it.
  expect(first.headers.get('access-control-allow-origin')).toBe('*');
  expect(first.headers.get('cache-control')).toBe('no-store');
  const object = (await first.json()) as Record<string, any>;
  expect(object.credential_issuer).toBe(offer.body.credentialIssuer);
  expect(object.credential_configuration_ids).toEqual(['EducationCredential_jwt']);
  const grant = object.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'];
  expect(grant.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
  const code = grant['pre-authorized_code'] as string;
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // The URI (which logs may keep) does not hold the code.
  expect(offer.body.offerUri).not.toContain(code);
  expect(await (await fetch(reference)).json()).toEqual(object);

  // Another agency's path, a changed reference, junk: the same 404.
  const elsewhere = await fetch(reference.href.replace(university.id, bureau.id));
  expect([elsewhere.status, ((await elsewhere.json()) as { error: string }).error]).toEqual([404, 'offer_not_found']);
  const last = reference.pathname.at(-1) === 'A' ? 'B' : 'A';
  for (const path of [reference.pathname.slice(0, -1) + last, `/oid4vci/${university.id}/offers/${'x'.repeat(3000)}`, `/oid4vci/${university.id}/offers/%00`]) {
    const response = await fetch(`${h.issuer.url}${path}`);
    expect([path.slice(-10), response.status, ((await response.json()) as { error: string }).error]).toEqual([path.slice(-10), 404, 'offer_not_found']);
  }

  // Redeemed (the PIN is the agency's to give): the reference answers 404 from then on.
  const token = await fetch(`${offer.body.credentialIssuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, tx_code: offer.body.txCode }),
  });
  expect(token.status).toBe(200);
  const after = await fetch(reference);
  expect([after.status, ((await after.json()) as { error: string }).error]).toEqual([404, 'offer_not_found']);
});

test('delivery "value" puts the whole offer in the URI, for wallets that do not fetch offers', async () => {
  const offer = await bureau.client.post('/oid4vci/offers', { type: 'NationalIdCredential', claims: SAMPLE_CLAIMS.NationalIdCredential, delivery: 'value' });
  expect(offer.status).toBe(201);
  const object = JSON.parse(new URL(offer.body.offerUri).searchParams.get('credential_offer')!);
  expect(object.credential_issuer).toBe(offer.body.credentialIssuer);
  const received = await user.run('receive', offer.body.offerUri);
  expect(received.err).toBe('');
  const junk = await bureau.client.post('/oid4vci/offers', { type: 'NationalIdCredential', claims: SAMPLE_CLAIMS.NationalIdCredential, delivery: 'post' });
  expect([junk.status, junk.body.code]).toEqual([400, 'invalid_request']);
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
  const code = await preAuthorizedCodeOf(offer.body.offerUri);
  const response = await fetch(`${h.issuer.url}/oid4vci/${university.id}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
});
