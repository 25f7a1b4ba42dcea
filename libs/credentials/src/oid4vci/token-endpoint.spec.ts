import type { Resolvable } from 'did-resolver';
import { GovcredError } from '../errors.js';
import { Oid4vciIssuerService } from './issuer.js';
import { MemoryOid4vciStore } from './memory-store.js';
import { PRE_AUTHORIZED_CODE_GRANT } from './metadata.js';
import { hashSecret, offerCodeOf } from './secrets.js';

/** The token endpoint needs no chain: these run against the in-memory store only. */
const ISSUER = 'https://issuer.example/oid4vci/psb';
const noResolver: Resolvable = {
  resolve: () => {
    throw new Error('the token endpoint resolves no DIDs');
  },
};

let now: Date;
let store: MemoryOid4vciStore;
let service: Oid4vciIssuerService;

beforeEach(() => {
  now = new Date('2026-11-21T08:00:00Z');
  store = new MemoryOid4vciStore();
  service = new Oid4vciIssuerService({
    credentialIssuer: ISSUER,
    configurations: { id_card: { type: 'NationalIdCredential' } },
    store,
    resolver: noResolver,
    clock: () => now,
    maxTxCodeFailures: 3,
  });
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const token = (fields: Record<string, string> | unknown) => service.handleToken({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? form(fields as Record<string, string>) : fields });
const grant = (code: string, extra: Record<string, string> = {}) => token({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': code, ...extra });

test('a pre-authorized code buys one opaque, short-lived, uncacheable Bearer token', async () => {
  const { preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: { claims: { a: 1 } } });
  const response = await grant(preAuthorizedCode);
  expect(response).toMatchObject({ status: 200, headers: { 'Cache-Control': 'no-store' }, body: { token_type: 'Bearer', expires_in: 300 } });
  const accessToken = response.body.access_token as string;
  expect(accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const stored = await store.findAccessToken(hashSecret(accessToken));
  expect(stored).toMatchObject({ configurationId: 'id_card', context: { claims: { a: 1 } }, credentialIssuer: ISSUER });
  expect(await store.findAccessToken(accessToken)).toBeUndefined();
  expect(JSON.stringify(await store.findOffer(hashSecret(preAuthorizedCode)))).not.toContain(preAuthorizedCode);
});

test('the form may also come parsed, as the fields of an object', async () => {
  const { preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: null });
  const response = await service.handleToken({ headers: {}, body: { grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': preAuthorizedCode } });
  expect(response.status).toBe(200);
});

describe('refusals', () => {
  it.each<[string, () => Promise<unknown>, string]>([
    ['a body that is no form', () => token(42), 'invalid_request'],
    ['no grant_type', () => token({ 'pre-authorized_code': 'x' }), 'invalid_request'],
    ['the password grant', () => token({ grant_type: 'password', username: 'a', password: 'b' }), 'unsupported_grant_type'],
    ['the authorization code grant', () => token({ grant_type: 'authorization_code', code: 'x' }), 'unsupported_grant_type'],
    ['no pre-authorized_code', () => token({ grant_type: PRE_AUTHORIZED_CODE_GRANT }), 'invalid_request'],
    ['a made-up code', () => grant('bm90LWEtY29kZQ'), 'invalid_grant'],
  ])('%s → %s', async (_name, send, error) => {
    expect(await send()).toMatchObject({ status: 400, body: { error } });
  });

  test('a used code → invalid_grant', async () => {
    const { preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: null });
    expect((await grant(preAuthorizedCode)).status).toBe(200);
    expect(await grant(preAuthorizedCode)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/already used/) } });
  });

  test('an expired code → invalid_grant, one second after its lifetime', async () => {
    const { preAuthorizedCode, expiresAt } = await service.createOffer({ configurationId: 'id_card', expiresInSeconds: 120, context: null });
    expect(expiresAt.getTime() - now.getTime()).toBe(120_000);
    now = new Date(expiresAt.getTime() + 1000);
    expect(await grant(preAuthorizedCode)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/expired/i) } });
  });

  test('a code of another issuer → invalid_grant', async () => {
    const other = new Oid4vciIssuerService({ credentialIssuer: 'https://issuer.example/oid4vci/university', configurations: { id_card: { type: 'NationalIdCredential' } }, store, resolver: noResolver, clock: () => now });
    const { preAuthorizedCode } = await other.createOffer({ configurationId: 'id_card', context: null });
    expect(await grant(preAuthorizedCode)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('transaction codes', () => {
  test('missing → invalid_request (not counted), wrong → invalid_grant, the third wrong one kills the offer', async () => {
    const { preAuthorizedCode, txCode } = await service.createOffer({ configurationId: 'id_card', txCode: true, context: null });
    const wrong = txCode === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) expect(await grant(preAuthorizedCode)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await grant(preAuthorizedCode, { tx_code: wrong })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await grant(preAuthorizedCode, { tx_code: wrong })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await grant(preAuthorizedCode, { tx_code: wrong })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/too many/) } });
    expect(await grant(preAuthorizedCode, { tx_code: txCode! })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/too many/) } });
  });

  test('the right code works after fewer wrong ones, also as the legacy user_pin', async () => {
    const { preAuthorizedCode, txCode } = await service.createOffer({ configurationId: 'id_card', txCode: true, context: null });
    expect((await grant(preAuthorizedCode, { tx_code: 'nope' })).status).toBe(400);
    expect((await grant(preAuthorizedCode, { user_pin: txCode! })).status).toBe(200);
  });

  test('a code sent to an offer without one → invalid_request', async () => {
    const { preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: null });
    expect(await grant(preAuthorizedCode, { tx_code: '123456' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('neither the code nor the PIN is stored in clear', async () => {
    const { preAuthorizedCode, txCode, offer } = await service.createOffer({ configurationId: 'id_card', txCode: true, context: null });
    expect(offer.grants?.[PRE_AUTHORIZED_CODE_GRANT]?.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    const stored = JSON.stringify(await store.findOffer(hashSecret(preAuthorizedCode)));
    expect(stored).not.toContain(preAuthorizedCode);
    expect(stored).not.toContain(`"${txCode}"`);
  });
});

describe('offers', () => {
  test('by reference (the default): the URI names where to fetch the offer, and the code is derived from that reference', async () => {
    const { offerUri, offer, preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: null });
    const uri = new URL(offerUri).searchParams.get('credential_offer_uri')!;
    expect(new URL(offerUri).searchParams.has('credential_offer')).toBe(false);
    const reference = uri.slice(`${ISSUER}/offers/`.length);
    expect(uri).toBe(`${service.endpoints.credentialOffers}/${reference}`);
    expect(reference).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(preAuthorizedCode).toBe(offerCodeOf(reference));
    expect(preAuthorizedCode).not.toBe(reference);
    const served = await service.handleOfferRequest(reference);
    expect(served).toMatchObject({ status: 200, headers: { 'Cache-Control': 'no-store', 'Content-Type': 'application/json' } });
    expect(served.body).toEqual(offer);
    expect(served.body).toMatchObject({ credential_issuer: ISSUER, credential_configuration_ids: ['id_card'], grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': preAuthorizedCode } } });
    // Nothing stored names the reference.
    expect(JSON.stringify(await store.findOffer(hashSecret(preAuthorizedCode)))).not.toContain(reference);
  });

  test('by value: the URI carries the whole offer', async () => {
    const { offerUri, offer, preAuthorizedCode } = await service.createOffer({ configurationId: 'id_card', context: null, delivery: 'value' });
    const carried = JSON.parse(new URL(offerUri).searchParams.get('credential_offer')!);
    expect(carried).toEqual(offer);
    expect(carried).toMatchObject({ credential_issuer: ISSUER, credential_configuration_ids: ['id_card'], grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': preAuthorizedCode } } });
    expect(preAuthorizedCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  const referenceOf = (offerUri: string) => new URL(offerUri).searchParams.get('credential_offer_uri')!.split('/').at(-1)!;

  test('a reference answers with the PIN prompt while the offer is good, and 404 once it is redeemed, expired or dead', async () => {
    const withPin = await service.createOffer({ configurationId: 'id_card', txCode: true, context: null });
    const served = await service.handleOfferRequest(referenceOf(withPin.offerUri));
    expect(served.body).toMatchObject({ grants: { [PRE_AUTHORIZED_CODE_GRANT]: { tx_code: { input_mode: 'numeric', length: 6 } } } });
    const gone = { status: 404, body: { error: 'offer_not_found' } };

    // Dead after the limit of wrong PINs (3 here).
    for (let i = 0; i < 3; i++) await grant(withPin.preAuthorizedCode, { tx_code: '000000' === withPin.txCode ? '111111' : '000000' });
    expect(await service.handleOfferRequest(referenceOf(withPin.offerUri))).toMatchObject(gone);

    const redeemed = await service.createOffer({ configurationId: 'id_card', context: null });
    expect((await grant(redeemed.preAuthorizedCode)).status).toBe(200);
    expect(await service.handleOfferRequest(referenceOf(redeemed.offerUri))).toMatchObject(gone);

    const expiring = await service.createOffer({ configurationId: 'id_card', context: null, expiresInSeconds: 60 });
    expect((await service.handleOfferRequest(referenceOf(expiring.offerUri))).status).toBe(200);
    now = new Date(now.getTime() + 60_000);
    expect(await service.handleOfferRequest(referenceOf(expiring.offerUri))).toMatchObject(gone);
  });

  test('a reference of another issuer, or one that is not a reference, gets the same 404', async () => {
    const other = new Oid4vciIssuerService({ credentialIssuer: 'https://issuer.example/oid4vci/university', configurations: { id_card: { type: 'NationalIdCredential' } }, store, resolver: noResolver, clock: () => now });
    const theirs = await other.createOffer({ configurationId: 'id_card', context: null });
    expect((await other.handleOfferRequest(referenceOf(theirs.offerUri))).status).toBe(200);
    for (const reference of [referenceOf(theirs.offerUri), '', 'x'.repeat(43), 'a'.repeat(100_000), `${'A'.repeat(42)}=`, 42 as unknown as string]) {
      expect(await service.handleOfferRequest(reference)).toMatchObject({ status: 404, body: { error: 'offer_not_found' } });
    }
  });

  it.each([
    ['an unknown configuration', { configurationId: 'passport' }],
    ['a zero lifetime', { configurationId: 'id_card', expiresInSeconds: 0 }],
    ['a lifetime over a week', { configurationId: 'id_card', expiresInSeconds: 8 * 24 * 3600 }],
  ])('refuses %s', async (_name, input) => {
    await expect(service.createOffer({ ...input, context: null })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(service.createOffer({ ...input, context: null })).rejects.toBeInstanceOf(GovcredError);
  });
});

test('the nonce endpoint gives a fresh, uncacheable nonce each time', async () => {
  const a = await service.handleNonce();
  const b = await service.handleNonce();
  expect(a).toMatchObject({ status: 200, headers: { 'Cache-Control': 'no-store' }, body: { c_nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
  expect(a.body.c_nonce).not.toBe(b.body.c_nonce);
  expect(await store.consumeNonce(a.body.c_nonce as string, ISSUER, now)).toBe(true);
});
