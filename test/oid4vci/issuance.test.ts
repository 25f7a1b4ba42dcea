import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCredential } from 'did-jwt-vc';
import { Wallet } from 'ethers';
import { Holder } from '../../apps/wallet/src/holder/holder-agent.js';
import {
  GovcredError,
  MemoryOid4vciStore,
  Oid4vciIssuerService,
  createDidResolver,
  listCredentialTypes,
  receiveCredential,
  resolveOffer,
  type Oid4vciStore,
} from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, rotateOwner, type Fixture } from '../support/chain.js';
import { freePort } from '../support/free-port.js';
import { CLAIMS, agencyIssue, didJwtHolder } from '../support/oid4vci-fixtures.js';
import { Oid4vciTestServer } from '../support/oid4vci-server.js';

const TYPES = listCredentialTypes().map((t) => t.type);
let f: Fixture;
let server: Oid4vciTestServer;
let now: Date;
const store = new MemoryOid4vciStore();

/** The agency's issuer: one configuration per catalog type, its names in both languages, a clock the test moves. */
function addIssuer(id: string, agency = Wallet.createRandom(), issuerStore: Oid4vciStore = store): Oid4vciIssuerService {
  const service = new Oid4vciIssuerService({
    credentialIssuer: server.issuerUrl(id),
    display: [
      { name: '南京市公安局', locale: 'zh-CN' },
      { name: 'Nanjing Public Security Bureau', locale: 'en' },
    ],
    configurations: Object.fromEntries(TYPES.map((type) => [`${type}_jwt`, { type }])),
    store: issuerStore,
    resolver: createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry }),
    clock: () => now,
    allowHttp: true,
  });
  server.issuers.set(id, { service, issue: agencyIssue(agency as unknown as Wallet, f.statusRegistry) });
  return service;
}

/** Expects `promise` to fail with GovcredError `code` (and the issuer's OAuth `error`, when given). */
async function expectFailure(promise: Promise<unknown>, code: string, oauthError?: string): Promise<GovcredError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GovcredError);
  expect((error as GovcredError).code).toBe(code);
  if (oauthError) expect((error as GovcredError).details?.error).toBe(oauthError);
  return error as GovcredError;
}

beforeAll(async () => {
  f = await deployFixture();
  server = await new Oid4vciTestServer().start();
});
beforeEach(() => {
  now = new Date();
});
afterAll(async () => {
  await server.stop();
  f.provider.destroy();
});

describe.each([false, true])('receiving each catalog type (tx_code: %s)', (withTxCode) => {
  it.each(TYPES)('%s', async (type) => {
    const service = addIssuer(`psb-${type}-${withTxCode}`);
    const holder = didJwtHolder();
    const created = await service.createOffer({ configurationId: `${type}_jwt`, txCode: withTxCode, context: { claims: CLAIMS[type] } });
    expect(created.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(created.txCode === undefined).toBe(!withTxCode);

    const offer = await resolveOffer(created.offerUri, { allowHttp: true });
    expect(offer).toMatchObject({ type, configurationId: `${type}_jwt`, credentialIssuer: service.endpoints.token.replace(/\/token$/, '') });
    expect(offer.issuerDisplay).toContainEqual({ name: '南京市公安局', locale: 'zh-CN' });
    expect(offer.credentialDisplay.map((d) => d.locale)).toEqual(['zh-CN', 'en']);
    expect(offer.txCode === undefined).toBe(!withTxCode);

    const received = await receiveCredential({ offer, txCode: created.txCode, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true });
    expect(received).toMatchObject({ type, configurationId: `${type}_jwt` });
    // A real credential: the agency's signature checks out against the chain, about the proven holder.
    const verified = await verifyCredential(received.credential, createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry }));
    expect(verified.verifiableCredential.credentialSubject.id).toBe(holder.did);
    expect(verified.verifiableCredential.type).toContain(type);
  });
});

test("the wallet's own Veramo holder key signs an accepted proof", async () => {
  const service = addIssuer('psb-veramo');
  const holder = await Holder.create({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry });
  const { offerUri } = await service.createOffer({ configurationId: 'EducationCredential_jwt', context: { claims: CLAIMS.EducationCredential } });
  const received = await receiveCredential({ offer: offerUri, holderDid: holder.identity.did, signProofJwt: (h, p) => holder.signJwt(h, p), allowHttp: true });
  expect(received.type).toBe('EducationCredential');
});

// The next four offers go by value, so that the token endpoint's own refusals are what is tested (by reference,
// the offer's address already answers 404 for a used, expired or dead offer: see the test after them).
test('a replayed offer is refused with invalid_grant', async () => {
  const service = addIssuer('psb-replay');
  const holder = didJwtHolder();
  const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', delivery: 'value', context: { claims: CLAIMS.NationalIdCredential } });
  await receiveCredential({ offer: offerUri, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true });
  const thief = didJwtHolder();
  await expectFailure(receiveCredential({ offer: offerUri, holderDid: thief.did, signProofJwt: thief.sign, allowHttp: true }), 'offer_rejected', 'invalid_grant');
});

test('an expired offer is refused with invalid_grant', async () => {
  const service = addIssuer('psb-expired');
  const holder = didJwtHolder();
  const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', expiresInSeconds: 60, delivery: 'value', context: { claims: CLAIMS.NationalIdCredential } });
  now = new Date(now.getTime() + 61_000);
  const error = await expectFailure(receiveCredential({ offer: offerUri, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true }), 'offer_rejected', 'invalid_grant');
  expect(error.details?.description).toMatch(/expired/i);
});

test('a wrong transaction code is refused, and after five the offer is dead even for the right one', async () => {
  const service = addIssuer('psb-pin');
  const holder = didJwtHolder();
  const created = await service.createOffer({ configurationId: 'PropertyCredential_jwt', txCode: true, delivery: 'value', context: { claims: CLAIMS.PropertyCredential } });
  expect(created.txCode).toMatch(/^[0-9]{6}$/);
  const attempt = (txCode?: string) => receiveCredential({ offer: created.offerUri, txCode, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true });
  await expectFailure(attempt(), 'tx_code_required');
  const wrong = created.txCode === '000000' ? '000001' : '000000';
  for (let i = 0; i < 5; i++) await expectFailure(attempt(wrong), 'offer_rejected', 'invalid_grant');
  const error = await expectFailure(attempt(created.txCode), 'offer_rejected', 'invalid_grant');
  expect(error.details?.description).toMatch(/too many/);
});

test('a code of one agency is worthless at another agency', async () => {
  const a = addIssuer('agency-a');
  addIssuer('agency-b');
  const holder = didJwtHolder();
  const { offerUri } = await a.createOffer({ configurationId: 'NationalIdCredential_jwt', delivery: 'value', context: { claims: CLAIMS.NationalIdCredential } });
  const forged = offerUri.replace(encodeURIComponent('/oid4vci/agency-a'), encodeURIComponent('/oid4vci/agency-b'));
  expect(forged).not.toBe(offerUri);
  await expectFailure(receiveCredential({ offer: forged, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true }), 'offer_rejected', 'invalid_grant');
});

test('a proof by a key that no longer controls the holder DID is refused with invalid_proof', async () => {
  const service = addIssuer('psb-rotated');
  const key = await fundedWallet(f.provider);
  const holder = didJwtHolder(f.chainId, key);
  // The citizen rotated the DID to a new key (e.g. after losing the old one); the old key still signs.
  await rotateOwner(f.didRegistry, key, key.address, Wallet.createRandom().address);
  const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential } });
  await expectFailure(receiveCredential({ offer: offerUri, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true }), 'credential_rejected', 'invalid_proof');
});

test('told invalid_nonce, the wallet fetches a fresh nonce and retries once with the same token', async () => {
  /** A store that has forgotten the first nonce it is asked about (as after a restart without persistence). */
  class ForgetfulStore extends MemoryOid4vciStore {
    forgotten = 0;
    override async consumeNonce(nonce: string, credentialIssuer: string, at: Date): Promise<boolean> {
      if (this.forgotten++ === 0) return false;
      return super.consumeNonce(nonce, credentialIssuer, at);
    }
  }
  const forgetful = new ForgetfulStore();
  const service = addIssuer('psb-forgetful', Wallet.createRandom(), forgetful);
  const holder = didJwtHolder();
  const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential } });
  server.requests.length = 0;
  const received = await receiveCredential({ offer: offerUri, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true });
  expect(received.type).toBe('NationalIdCredential');
  const calls = server.requests.filter((r) => r.startsWith('POST'));
  expect(calls.map((r) => r.split('/').pop())).toEqual(['token', 'nonce', 'credential', 'nonce', 'credential']);

  // A second refusal is the end: the wallet does not loop.
  const stubborn = new (class extends MemoryOid4vciStore {
    override async consumeNonce(): Promise<boolean> {
      return false;
    }
  })();
  const other = addIssuer('psb-stubborn', Wallet.createRandom(), stubborn);
  const second = await other.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential } });
  await expectFailure(receiveCredential({ offer: second.offerUri, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true }), 'credential_rejected', 'invalid_nonce');
});

test('an unreachable issuer is reported as such', async () => {
  const service = addIssuer('psb-gone');
  const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential } });
  const port = await freePort();
  const moved = offerUri.replace(encodeURIComponent(server.baseUrl), encodeURIComponent(`http://127.0.0.1:${port}`));
  const holder = didJwtHolder();
  await expectFailure(receiveCredential({ offer: moved, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true }), 'service_unreachable');
});

test('an offer by reference that was used or expired is refused as offer_rejected, before any PIN is asked', async () => {
  const service = addIssuer('psb-reference');
  const holder = didJwtHolder();
  const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential } });
  await receiveCredential({ offer: offerUri, holderDid: holder.did, signProofJwt: holder.sign, allowHttp: true });
  const used = await expectFailure(resolveOffer(offerUri, { allowHttp: true }), 'offer_rejected', 'offer_not_found');
  expect(used.details?.status).toBe(404);
  expect(used.details?.description).toMatch(/used/);

  const expiring = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', txCode: true, expiresInSeconds: 60, context: { claims: CLAIMS.NationalIdCredential } });
  expect((await resolveOffer(expiring.offerUri, { allowHttp: true })).txCode).toMatchObject({ length: 6 });
  now = new Date(now.getTime() + 61_000);
  await expectFailure(resolveOffer(expiring.offerUri, { allowHttp: true }), 'offer_rejected', 'offer_not_found');
});

test('an issuer answer past the size bound is refused unread, whatever its headers say', async () => {
  // A hostile "issuer" answering the offer reference with 2 MB: with a content-length, then chunked without one.
  const big = JSON.stringify({ credential_issuer: 'http://127.0.0.1/x', padding: 'x'.repeat(2 * 1024 * 1024) });
  const hostile = http.createServer((req, res) => {
    if (req.url?.endsWith('/chunked')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 40; i++) res.write(big.slice(i * 55_000, (i + 1) * 55_000));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
    res.end(big);
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  try {
    for (const path of ['/declared', '/chunked']) {
      const text = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(base + path)}`;
      await expectFailure(resolveOffer(text, { allowHttp: true }), 'issuer_response_invalid');
    }
  } finally {
    hostile.closeAllConnections();
    await new Promise((resolve) => hostile.close(resolve));
  }
});

describe('junk offers are refused as offer_invalid', () => {
  const offerOf = (object: unknown) => `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(object))}`;
  it.each<[string, () => string]>([
    ['empty text', () => ''],
    ['plain words', () => '请扫描二维码'],
    ['a web link', () => 'https://example.com/hello'],
    ['broken JSON', () => 'openid-credential-offer://?credential_offer=%7Bnot-json'],
    ['an offer without grants', () => offerOf({ credential_issuer: server.issuerUrl('psb-x'), credential_configuration_ids: ['NationalIdCredential_jwt'] })],
    ['an offer without configurations', () => offerOf({ credential_issuer: server.issuerUrl('psb-x'), credential_configuration_ids: [], grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'x' } } })],
    ['an offer with an issuer that is not a URL', () => offerOf({ credential_issuer: 'psb', credential_configuration_ids: ['a'], grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'x' } } })],
  ])('%s', async (_name, text) => {
    await expectFailure(resolveOffer(text(), { allowHttp: true }), 'offer_invalid');
  });

  test('an http issuer when http is not allowed, by reference (not fetched) or by value', async () => {
    const service = addIssuer('psb-http');
    for (const delivery of ['reference', 'value'] as const) {
      const { offerUri } = await service.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential }, delivery });
      server.requests.length = 0;
      await expectFailure(resolveOffer(offerUri), 'offer_invalid');
      expect(server.requests).toEqual([]);
    }
  });

  test('an offer for a configuration the issuer does not have', async () => {
    addIssuer('psb-y');
    const text = offerOf({ credential_issuer: server.issuerUrl('psb-y'), credential_configuration_ids: ['Nope'], grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'x' } } });
    await expectFailure(resolveOffer(text, { allowHttp: true }), 'offer_invalid');
  });
});

