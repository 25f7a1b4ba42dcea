import { MemoryOid4vciStore } from './memory-store.js';
import type { StoredAccessToken, StoredOffer } from './store.js';

/** The reference semantics every Oid4vciStore (e.g. the issuer's TypeORM one) must match. */
const T0 = new Date('2026-11-21T08:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const offer = (codeHash: string, extra: Partial<StoredOffer> = {}): StoredOffer => ({
  codeHash,
  credentialIssuer: 'https://i.example/a',
  configurationId: 'id_card',
  txCodeFailures: 0,
  createdAt: T0,
  expiresAt: at(600),
  context: { claims: { n: 1 } },
  ...extra,
});
const token = (tokenHash: string, extra: Partial<StoredAccessToken> = {}): StoredAccessToken => ({
  tokenHash,
  credentialIssuer: 'https://i.example/a',
  offerCodeHash: 'c1',
  configurationId: 'id_card',
  context: null,
  expiresAt: at(300),
  ...extra,
});

let store: MemoryOid4vciStore;
beforeEach(() => {
  store = new MemoryOid4vciStore();
});

test('an offer is redeemed once, with its token saved in the same step', async () => {
  await store.saveOffer(offer('c1'));
  expect(await store.redeemOffer('c1', at(1), 5, token('t1'))).toBe(true);
  expect(await store.redeemOffer('c1', at(2), 5, token('t2'))).toBe(false);
  expect((await store.findOffer('c1'))?.redeemedAt).toEqual(at(1));
  expect(await store.findAccessToken('t1')).toBeDefined();
  expect(await store.findAccessToken('t2')).toBeUndefined();
});

test('an expired, locked or unknown offer is not redeemed', async () => {
  await store.saveOffer(offer('old', { expiresAt: at(10) }));
  await store.saveOffer(offer('locked'));
  for (let i = 0; i < 3; i++) expect(await store.recordTxCodeFailure('locked')).toBe(i + 1);
  expect(await store.redeemOffer('old', at(10), 5, token('t1'))).toBe(false);
  expect(await store.redeemOffer('locked', at(1), 3, token('t2'))).toBe(false);
  expect(await store.redeemOffer('none', at(1), 5, token('t3'))).toBe(false);
  expect(await store.findAccessToken('t1')).toBeUndefined();
});

test('stored rows cannot be changed behind the store’s back', async () => {
  const o = offer('c1');
  await store.saveOffer(o);
  o.configurationId = 'changed';
  const found = (await store.findOffer('c1'))!;
  found.txCodeFailures = 99;
  expect(await store.findOffer('c1')).toMatchObject({ configurationId: 'id_card', txCodeFailures: 0 });
  await expect(store.saveOffer(offer('c1'))).rejects.toThrow();
});

test('a nonce is consumed once, only by its issuer, only before it expires', async () => {
  await store.saveNonce({ nonce: 'n1', credentialIssuer: 'https://i.example/a', expiresAt: at(60) });
  await store.saveNonce({ nonce: 'n2', credentialIssuer: 'https://i.example/a', expiresAt: at(60) });
  expect(await store.consumeNonce('n1', 'https://i.example/b', at(1))).toBe(false);
  expect(await store.consumeNonce('n1', 'https://i.example/a', at(1))).toBe(true);
  expect(await store.consumeNonce('n1', 'https://i.example/a', at(1))).toBe(false);
  expect(await store.consumeNonce('n2', 'https://i.example/a', at(60))).toBe(false);
  expect(await store.consumeNonce('n2', 'https://i.example/a', at(1))).toBe(false);
});

test('a token is spent once, can be given back, and not after it expired', async () => {
  await store.saveOffer(offer('c1'));
  await store.redeemOffer('c1', at(0), 5, token('t1'));
  expect(await store.consumeAccessToken('t1', at(1))).toBe(true);
  expect(await store.consumeAccessToken('t1', at(2))).toBe(false);
  await store.releaseAccessToken('t1');
  expect((await store.findAccessToken('t1'))?.usedAt).toBeUndefined();
  expect(await store.consumeAccessToken('t1', at(300))).toBe(false);
  expect(await store.consumeAccessToken('unknown', at(1))).toBe(false);
});

test('concurrent consumers: exactly one wins', async () => {
  await store.saveOffer(offer('c1'));
  const results = await Promise.all([1, 2, 3, 4].map((i) => store.redeemOffer('c1', at(1), 5, token(`t${i}`))));
  expect(results.filter(Boolean)).toHaveLength(1);
  await store.saveNonce({ nonce: 'n', credentialIssuer: 'https://i.example/a', expiresAt: at(60) });
  const nonces = await Promise.all([1, 2, 3].map(() => store.consumeNonce('n', 'https://i.example/a', at(1))));
  expect(nonces.filter(Boolean)).toHaveLength(1);
});

test('deleteExpired removes what expired before the cut-off, across the three kinds', async () => {
  await store.saveOffer(offer('c-old', { expiresAt: at(10) }));
  await store.saveOffer(offer('c-new', { expiresAt: at(1000) }));
  await store.saveNonce({ nonce: 'n-old', credentialIssuer: 'https://i.example/a', expiresAt: at(5) });
  await store.redeemOffer('c-new', at(0), 5, token('t-old', { expiresAt: at(20) }));
  expect(await store.deleteExpired(at(100))).toBe(3);
  expect(await store.findOffer('c-old')).toBeUndefined();
  expect(await store.findOffer('c-new')).toBeDefined();
  expect(await store.findAccessToken('t-old')).toBeUndefined();
});
