/**
 * The DID mirror answers like ethr-did-resolver reading the chain, at several blocks, before and after owner
 * changes and delegate/attribute changes, from memory; blocks it has not synced and stale mirrors go to the chain.
 * (Random histories at every block: did-mirror-differential.test.ts.)
 */
import { Contract, Wallet, encodeBytes32String, hexlify, toUtf8Bytes } from 'ethers';
import { DID_REGISTRY_ABI, DidMirror, createDidResolver, ethrDid } from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, rotateOwner, type Fixture } from '../support/chain.js';

let f: Fixture;
let live: ReturnType<typeof createDidResolver>;
beforeAll(async () => {
  f = await deployFixture();
  live = createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry });
});
afterAll(() => f?.provider.destroy());

const mirrorOf = (fx: Fixture, extra: Partial<ConstructorParameters<typeof DidMirror>[0]> = {}) =>
  new DidMirror({ provider: fx.provider, registry: fx.didRegistry, chainId: fx.chainId, fromBlock: fx.deployBlock, fallback: live, ...extra });

const ACCEPTS = [{ accept: 'application/did+json' }, { accept: 'application/did+ld+json' }, {}];

test('an identity without registry events: the default document, from memory, as ethr-did-resolver builds it', async () => {
  const mirror = mirrorOf(f);
  await mirror.sync();
  const did = ethrDid(f.chainId, Wallet.createRandom().address);
  // The synced block, not the chain's head: other test files mine blocks on the shared chain meanwhile.
  const head = mirror.syncedBlock;
  for (const options of ACCEPTS) {
    for (const url of [did, `${did}?versionId=${head}`, did.toLowerCase().replace('did:ethr:0x7a69:', 'did:ethr:0x7a69:')]) {
      expect(await mirror.resolve(url, options)).toEqual(await live.resolve(url, options));
    }
  }
  expect(mirror.stats).toEqual({ memory: 9, fallback: 0 });
});

test('owner changes: same documents at every block, all from memory', async () => {
  const owner = await fundedWallet(f.provider);
  const did = ethrDid(f.chainId, owner.address);
  const before = await f.provider.getBlockNumber();
  const second = await fundedWallet(f.provider);
  await rotateOwner(f.didRegistry, owner, owner.address, second.address);
  const rotated = await f.provider.getBlockNumber();
  const third = await fundedWallet(f.provider);
  await rotateOwner(f.didRegistry, second, owner.address, third.address);
  const rotatedAgain = await f.provider.getBlockNumber();

  const mirror = mirrorOf(f);
  await mirror.sync();
  // Up to the synced block only: other test files mine blocks on the shared chain meanwhile.
  const blocks = [before, rotated, rotated + 1, rotatedAgain, mirror.syncedBlock];
  const documents = async (resolver: { resolve: typeof live.resolve }) =>
    Promise.all([did, ...blocks.map((b) => `${did}?versionId=${b}`)].map(async (url) => (await resolver.resolve(url, { accept: 'application/did+json' })).didDocument));
  const expected = await documents(live);
  expect(expected[1]!.verificationMethod![0].blockchainAccountId).toContain(owner.address);
  expect(expected[2]!.verificationMethod![0].blockchainAccountId).toContain(second.address);
  expect(expected[0]!.verificationMethod![0].blockchainAccountId).toContain(third.address);
  expect(await documents(mirror)).toEqual(expected);
  const fallbacks = mirror.stats.fallback;
  expect(fallbacks).toBe(0);
  expect(mirror.stats.memory).toBe(blocks.length + 1);

  // A block the mirror has not synced yet goes to the chain, and still agrees.
  const fourth = await fundedWallet(f.provider);
  await rotateOwner(f.didRegistry, third, owner.address, fourth.address);
  const latest = await f.provider.getBlockNumber();
  const pinned = `${did}?versionId=${latest}`;
  expect((await mirror.resolve(pinned)).didDocument).toEqual((await live.resolve(pinned)).didDocument);
  expect(mirror.stats.fallback).toBe(fallbacks + 1);
  await mirror.sync();
  expect((await mirror.resolve(did)).didDocument).toEqual((await live.resolve(did)).didDocument);
});

test('delegates and attributes: answered from memory, agreeing with ethr-did-resolver at every block', async () => {
  const owner = await fundedWallet(f.provider);
  const did = ethrDid(f.chainId, owner.address);
  const registry = new Contract(f.didRegistry, DID_REGISTRY_ABI, owner);
  const start = await f.provider.getBlockNumber();
  const delegate = Wallet.createRandom().address;
  await (await registry.getFunction('addDelegate')(owner.address, encodeBytes32String('sigAuth'), delegate, 86_400)).wait();
  const delegated = await f.provider.getBlockNumber();
  const key = hexlify(Wallet.createRandom().signingKey.compressedPublicKey);
  await (await registry.getFunction('setAttribute')(owner.address, encodeBytes32String('did/pub/Secp256k1/veriKey/hex'), key, 86_400)).wait();
  const attributed = await f.provider.getBlockNumber();
  await (await registry.getFunction('setAttribute')(owner.address, encodeBytes32String('did/svc/HubService'), toUtf8Bytes('https://hub.example'), 86_400)).wait();
  const next = await fundedWallet(f.provider);
  await rotateOwner(f.didRegistry, owner, owner.address, next.address);

  const mirror = mirrorOf(f);
  await mirror.sync();
  for (const url of [did, ...[start, delegated, attributed, mirror.syncedBlock].map((b) => `${did}?versionId=${b}`)]) {
    const [mine, theirs] = await Promise.all([mirror.resolve(url, { accept: 'application/did+json' }), live.resolve(url, { accept: 'application/did+json' })]);
    expect(mine.didDocument).toEqual(theirs.didDocument);
  }
  expect(mirror.stats.fallback).toBe(0);
  const current = (await mirror.resolve(did)).didDocument!;
  expect(current.verificationMethod!.map((m) => m.id)).toEqual([`${did}#controller`, `${did}#delegate-1`, `${did}#delegate-2`]);
  expect(current.verificationMethod![2].publicKeyHex).toBe(key.slice(2));
});

test('a stale mirror answers nothing itself: every query goes to the chain', async () => {
  let now = 0;
  const mirror = mirrorOf(f, { maxStalenessMs: 1000, now: () => now });
  await mirror.sync();
  const did = ethrDid(f.chainId, Wallet.createRandom().address);
  await mirror.resolve(did);
  expect(mirror.stats).toEqual({ memory: 1, fallback: 0 });
  now = 5000;
  expect(await mirror.resolve(did)).toEqual(await live.resolve(did));
  expect(mirror.stats).toEqual({ memory: 1, fallback: 1 });
  // Other chains and other methods are the fallback's to answer (here: an error, as ethr-did-resolver says).
  expect((await mirror.resolve('did:ethr:0x1:0x0000000000000000000000000000000000000001')).didResolutionMetadata.error).toBeDefined();
});

test('an identity beyond the history limits is left to ethr-did-resolver, still agreeing', async () => {
  const owner = await fundedWallet(f.provider);
  const did = ethrDid(f.chainId, owner.address);
  const registry = new Contract(f.didRegistry, DID_REGISTRY_ABI, owner);
  for (let i = 0; i < 3; i++) {
    await (await registry.getFunction('setAttribute')(owner.address, encodeBytes32String('did/svc/HubService'), toUtf8Bytes(`https://hub.example/${i}`), 86_400)).wait();
  }
  const mirror = mirrorOf(f, { maxEventsPerIdentity: 2 });
  await mirror.sync();
  const url = `${did}?versionId=${mirror.syncedBlock}`;
  expect(await mirror.resolve(url)).toEqual(await live.resolve(url));
  expect(mirror.stats).toEqual({ memory: 0, fallback: 1 });
  expect(await mirror.keyRevocation(did, `${did}#delegate-1`, mirror.syncedBlock)).toBe('unknown');
});
