import { writeFileSync } from 'node:fs';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { decodeSdJwtVc } from '../../libs/credentials/src/index.js';
import { verifyIssued } from '../support/sd-jwt-chain.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { WalletUser } from '../support/wallet.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';
import { encrypt } from '../../apps/wallet/src/store/encrypted-file.js';

/**
 * The CLI wallet receives both formats from the issuer's OID4VCI offers: a JWT VC bound to its DID, SD-JWT VCs
 * as copies (the issuer's batch_size) bound to new P-256 keys (default) or new secp256k1 keys, one per copy;
 * `list` and `show` label every claim from the catalog and read status from the chain.
 */

let h: IssuerHarness;
let bureau: CreatedAgency & { client: Client };
let user: WalletUser;

beforeAll(async () => {
  h = await startHarness();
  bureau = await h.createAgency(['NationalIdCredential', 'EducationCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing Public Security Bureau' });
  user = new WalletUser(h.fixture);
  expect((await user.run('init')).code).toBe(0);
});
afterAll(() => h?.close());

async function offer(type: string, format: string): Promise<string> {
  const res = await bureau.client.post('/oid4vci/offers', { type, format, claims: SAMPLE_CLAIMS[type as keyof typeof SAMPLE_CLAIMS] });
  expect(res.status).toBe(201);
  return res.body.offerUri;
}

test('receive takes a JWT VC and SD-JWT VCs (P-256 by default, or secp256k1), each stored with its format and keys', async () => {
  expect((await user.run('receive', await offer('EducationCredential', 'jwt_vc_json'))).code).toBe(0);
  const sdDefault = await user.run('receive', await offer('NationalIdCredential', 'dc+sd-jwt'));
  expect(sdDefault.err).toBe('');
  expect(sdDefault.out).toContain('(SD-JWT VC)');
  expect((await user.run('receive', '--key', 'secp256k1', await offer('NationalIdCredential', 'dc+sd-jwt'))).code).toBe(0);
  expect((await user.run('receive', '--key', 'ed25519', await offer('NationalIdCredential', 'dc+sd-jwt'))).code).toBe(2);

  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const [jwt, p256, k1] = store.data.credentials;
  expect(store.data.credentials.map((c) => c.format)).toEqual(['jwt_vc_json', 'dc+sd-jwt', 'dc+sd-jwt']);
  expect(jwt.holderKey).toBeUndefined();
  expect(p256.holderKey).toMatchObject({ alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', d: expect.any(String) } });
  // Copies need keys of their own: with batches the DID key (one for all) is not used for any of them.
  expect(k1.holderKey).toMatchObject({ alg: 'ES256K', jwk: { crv: 'secp256k1', d: expect.any(String) } });
  expect(k1.holderKey!.jwk.d).not.toBe(Buffer.from(store.data.holder.privateKeyHex, 'hex').toString('base64url'));
  for (const credential of [p256, k1]) expect(new Set(credential.copies!.map((c) => c.holderKey.jwk.x)).size).toBe(10);
  for (const credential of [p256, k1]) {
    // Signed by the bureau (checked on chain) and bound to the key the wallet keeps.
    const verified = await verifyIssued(h.fixture, credential.jwt);
    expect(verified.problems).toEqual([]);
    expect(verified.view).toMatchObject({ issuer: bureau.did, holderKey: { crv: credential.holderKey!.jwk.crv, x: credential.holderKey!.jwk.x } });
    expect(credential).toMatchObject({ type: 'NationalIdCredential', issuer: bureau.did, issuerName: { en: 'Nanjing Public Security Bureau' } });
  }
  // Each P-256 credential gets its own key: two SD-JWT VCs share none.
  expect((await user.run('receive', await offer('NationalIdCredential', 'dc+sd-jwt'))).code).toBe(0);
  const again = await WalletStore.open(user.walletFile, user.passphrase);
  expect(again.data.credentials[3].holderKey!.jwk.x).not.toBe(p256.holderKey!.jwk.x);
});

test('list and show: SD-JWT VCs with the catalog labels of all their claims, validity and status from the chain', async () => {
  const listed = await user.run('--lang', 'zh-CN', 'list', '--json');
  const views = JSON.parse(listed.out) as Array<Record<string, any>>;
  expect(views.map((v) => [v.format, v.status])).toEqual([
    ['jwt_vc_json', 'valid'],
    ['dc+sd-jwt', 'valid'],
    ['dc+sd-jwt', 'valid'],
    ['dc+sd-jwt', 'valid'],
  ]);
  const sd = views[1];
  expect(sd).toMatchObject({ typeLabel: '居民身份证', issuer: bureau.did, subject: 'cnf.jwk P-256', validFrom: expect.any(String) });
  const labels = Object.fromEntries(sd.claims.map((c: { key: string; label: string; value: string }) => [c.key, [c.label, c.value]]));
  expect(labels.nameZh).toEqual([expect.stringMatching(/姓名/), '张三']);
  // Derived claims the issuer added are the holder's too, with their labels.
  expect(labels.age_over_18[1]).toBe('true');
  expect(labels.age_over_18[0]).not.toBe('age_over_18');

  const shown = await user.run('show', '2');
  expect(shown.out).toContain('cnf.jwk P-256');
  expect(shown.out).toContain('ZHANG San');

  // Revoked by the bureau: the wallet sees it from the chain mirror (whole lists), like a JWT VC.
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const index = decodeSdJwtVc(store.data.credentials[1].jwt)!.statusEntries[0].statusListIndex;
  const records = (await bureau.client.get('/credentials?type=NationalIdCredential&limit=100')).body.items as Array<{ id: string; statusIndex: number }>;
  const record = records.find((r) => String(r.statusIndex) === index)!;
  const change = await bureau.client.post('/credentials/status', { credentialId: record.id, action: 'revoke' });
  expect(change.status).toBe(202);
  await waitFor(async () => (await bureau.client.get(`/credentials/status/${change.body.id}`)).body.state === 'anchored');
  const after = JSON.parse((await user.run('list', '--json')).out) as Array<{ status: string }>;
  expect(after.map((v) => v.status)).toEqual(['valid', 'revoked', 'valid', 'valid']);
});

test('a wallet file from before SD-JWT VC opens with its JWT VCs as jwt_vc_json', async () => {
  const old = new WalletUser(h.fixture);
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const { format: _format, ...legacy } = store.data.credentials[0];
  writeFileSync(old.walletFile, JSON.stringify(await encrypt({ holder: store.data.holder, credentials: [legacy] }, old.passphrase, { N: 1024, r: 8, p: 1 })));
  const opened = await WalletStore.open(old.walletFile, old.passphrase);
  expect(opened.data.credentials[0].format).toBe('jwt_vc_json');
  const listed = JSON.parse((await old.run('list', '--json')).out) as Array<{ format: string; typeLabel: string }>;
  expect(listed).toEqual([expect.objectContaining({ format: 'jwt_vc_json', typeLabel: 'Education Certificate' })]);
});
