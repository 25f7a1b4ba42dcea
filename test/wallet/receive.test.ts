import { Wallet } from 'ethers';
import { verifyCredential } from 'did-jwt-vc';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { MemoryOid4vciStore, Oid4vciIssuerService, createDidResolver } from '../../libs/credentials/src/index.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { CLAIMS, agencyIssue } from '../support/oid4vci-fixtures.js';
import { Oid4vciTestServer } from '../support/oid4vci-server.js';
import { WalletUser } from '../support/wallet.js';

let f: Fixture;
let server: Oid4vciTestServer;
let issuer: Oid4vciIssuerService;
let user: WalletUser;

beforeAll(async () => {
  f = await deployFixture();
  server = await new Oid4vciTestServer().start();
  issuer = new Oid4vciIssuerService({
    credentialIssuer: server.issuerUrl('university'),
    display: [
      { name: '南京大学', locale: 'zh-CN' },
      { name: 'Nanjing University', locale: 'en' },
    ],
    configurations: { EducationCredential_jwt: { type: 'EducationCredential' }, NationalIdCredential_jwt: { type: 'NationalIdCredential' } },
    store: new MemoryOid4vciStore(),
    resolver: createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry }),
    allowHttp: true,
  });
  server.issuers.set('university', { service: issuer, issue: agencyIssue(Wallet.createRandom() as unknown as Wallet, f.statusRegistry) });
  user = new WalletUser(f);
  expect((await user.run('init')).code).toBe(0);
});
afterAll(async () => {
  await server.stop();
  f.provider.destroy();
});

test('receive runs OID4VCI, asks for the PIN, and stores a credential about the holder', async () => {
  const offer = await issuer.createOffer({ configurationId: 'EducationCredential_jwt', txCode: true, context: { claims: CLAIMS.EducationCredential } });
  user.answers = [offer.txCode!];
  const result = await user.run('receive', offer.offerUri);
  expect(result.err).toBe('');
  expect(result.out).toContain('Received and stored');
  expect(result.out).toContain('Nanjing University');
  expect(user.asked).toEqual([expect.stringContaining('PIN')]);
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  expect(store.data.credentials).toHaveLength(1);
  const [stored] = store.data.credentials;
  const verified = await verifyCredential(
    stored.jwt,
    createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry }),
  );
  expect(verified.verifiableCredential.credentialSubject.id).toBe(store.data.holder.did);
  expect((await user.run('--lang', 'zh-CN', 'list')).out).toContain('南京大学');
});

test('a replayed offer, a wrong PIN and junk text are refused with clear messages', async () => {
  const offer = await issuer.createOffer({ configurationId: 'NationalIdCredential_jwt', context: { claims: CLAIMS.NationalIdCredential } });
  expect((await user.run('receive', offer.offerUri)).code).toBe(0);
  const replay = await user.run('receive', offer.offerUri);
  expect(replay.code).not.toBe(0);
  expect(replay.err).toContain('refused the offer');

  const withPin = await issuer.createOffer({ configurationId: 'NationalIdCredential_jwt', txCode: true, context: { claims: CLAIMS.NationalIdCredential } });
  const wrong = await user.run('receive', '--pin', withPin.txCode === '000000' ? '111111' : '000000', withPin.offerUri);
  expect(wrong.err).toContain('refused the offer');

  const junk = await user.run('receive', 'openid-credential-offer://?credential_offer=%7Bnot-json');
  expect(junk.err).toContain('not a valid credential offer');
  expect((await WalletStore.open(user.walletFile, user.passphrase)).data.credentials).toHaveLength(2);
});
