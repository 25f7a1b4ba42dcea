/**
 * Differential test of the DID mirror against ethr-did-resolver 11 reading the chain: seeded random ERC-1056
 * histories (delegates of both signing types and another type, veriKey/sigAuth attributes in hex and other
 * encodings, services, revocations, expiries by moving the chain's clock, owner changes, `*Signed` variants,
 * several events in one block, deactivation), and after each step and at EVERY block, the same resolution result
 * (document and metadata) for `did` and `did?versionId=N`. Its own chain: the clock moves a lot here.
 * A failure names its seed; `GOVCRED_DID_DIFF_SEEDS=7,8` replays chosen seeds.
 */
import { Wallet, hexlify, randomBytes, toBeHex, toUtf8Bytes, type JsonRpcProvider } from 'ethers';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { DidMirror, createDidResolver, ethrDid } from '../../libs/credentials/src/index.js';
import { bytes32, Erc1056 } from '../support/erc1056.js';
import { startPrivateChain, type PrivateChain } from '../support/private-chain.js';

const SEEDS = (process.env.GOVCRED_DID_DIFF_SEEDS ?? '11,23,37,41').split(',').map(Number);
const STEPS = 28;

let chain: PrivateChain;
let provider: JsonRpcProvider;
let live: Resolvable;
beforeAll(async () => {
  chain = await startPrivateChain();
  provider = chain.fixture.provider;
  live = createDidResolver({ chainId: 31337, rpcUrl: chain.url, didRegistry: chain.fixture.didRegistry });
}, 60_000);
afterAll(() => chain?.stop());

/** mulberry32: a small seeded generator, so a failing history can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] };
}

async function funded(): Promise<Wallet> {
  const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
  await provider.send('hardhat_setBalance', [wallet.address, toBeHex(10n ** 22n)]);
  return wallet;
}

const DELEGATE_TYPES = ['veriKey', 'sigAuth', 'govcred/statusWriter'];
const ATTRIBUTE_NAMES = [
  'did/pub/Secp256k1/veriKey/hex',
  'did/pub/Secp256k1/veriKey/hex',
  'did/pub/Secp256k1/sigAuth/hex',
  'did/pub/Ed25519/veriKey/base64',
  'did/pub/X25519/enc/base58',
  'did/svc/HubService',
  'did/pub/Secp256k1/veriKey',
  'not/a/did/attribute',
];
const VALIDITIES = [0, 1, 2, 4, 10, 60, 3600, 1_000_000_000];

/** Resolves `url` with both and compares; an unpinned answer depends on the wall clock's second, so retried on a tick. */
async function compare(mirror: DidMirror, url: string, accept: string, seed: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const second = Math.floor(Date.now() / 1000);
    const mine: DIDResolutionResult = await mirror.resolve(url, { accept });
    const theirs: DIDResolutionResult = await live.resolve(url, { accept });
    const ticked = Math.floor(Date.now() / 1000) !== second;
    if (ticked && attempt < 3 && JSON.stringify(mine) !== JSON.stringify(theirs)) continue;
    try {
      expect(mine).toEqual(theirs);
    } catch (error) {
      throw new Error(`seed ${seed}, ${url} (${accept}): the mirror differs from ethr-did-resolver\n${(error as Error).message}`);
    }
    return;
  }
}

test.each(SEEDS)('seed %i: the mirror answers as ethr-did-resolver at every block', async (seed) => {
  const rng = random(seed);
  const identityKey = await funded();
  let owner = identityKey;
  const identity = owner.address;
  const did = ethrDid(31337, identity);
  const registry = new Erc1056(chain.fixture.didRegistry, identity);
  const relayer = await funded();
  const delegates = Array.from({ length: 3 }, () => Wallet.createRandom().address);
  const keys = Array.from({ length: 3 }, () => Wallet.createRandom().signingKey.compressedPublicKey);
  const values = (name: string): string[] =>
    name.startsWith('did/svc/')
      ? [hexlify(toUtf8Bytes('https://hub.example/a')), hexlify(toUtf8Bytes('{"uri":"https://hub.example/b"}'))]
      : name.includes('Secp256k1')
        ? keys
        : [hexlify(randomBytes(32)), hexlify(randomBytes(32))];
  const used: Array<{ kind: 'delegate' | 'attribute'; type: string; value: string }> = [];
  const first = await provider.getBlockNumber();
  const mirror = new DidMirror({ provider, registry: chain.fixture.didRegistry, chainId: 31337, fromBlock: chain.fixture.deployBlock, fallback: live });

  for (let step = 0; step < STEPS; step++) {
    const roll = rng.next();
    const signed = rng.next() < 0.3;
    if (roll < 0.25) {
      const [type, delegate, validity] = [rng.pick(DELEGATE_TYPES), rng.pick(delegates), rng.pick(VALIDITIES)];
      used.push({ kind: 'delegate', type, value: delegate });
      const args = [bytes32(type), delegate, validity];
      await (signed ? registry.sendSigned(owner, relayer, 'addDelegate', ['bytes32', 'address', 'uint256'], args) : registry.send(owner, 'addDelegate', args));
    } else if (roll < 0.5) {
      const name = rng.pick(ATTRIBUTE_NAMES);
      const [value, validity] = [rng.pick(values(name)), rng.pick(VALIDITIES)];
      used.push({ kind: 'attribute', type: name, value });
      const args = [bytes32(name), value, validity];
      await (signed ? registry.sendSigned(owner, relayer, 'setAttribute', ['bytes32', 'bytes', 'uint256'], args) : registry.send(owner, 'setAttribute', args));
    } else if (roll < 0.65 && used.length > 0) {
      const { kind, type, value } = rng.pick(used);
      const fn = kind === 'delegate' ? 'revokeDelegate' : 'revokeAttribute';
      const types = kind === 'delegate' ? ['bytes32', 'address'] : ['bytes32', 'bytes'];
      await (signed ? registry.sendSigned(owner, relayer, fn, types, [bytes32(type), value]) : registry.send(owner, fn, [bytes32(type), value]));
    } else if (roll < 0.75) {
      // To a new key, or back to the identity's own (its address is its first owner).
      const next = rng.next() < 0.3 ? identityKey : await funded();
      await (signed ? registry.sendSigned(owner, relayer, 'changeOwner', ['address'], [next.address]) : registry.send(owner, 'changeOwner', [next.address]));
      owner = next;
    } else if (roll < 0.85) {
      // Several events in one block: automine off, the owner's plain calls with consecutive nonces, one block.
      await provider.send('evm_setAutomine', [false]);
      try {
        let nonce = await provider.getTransactionCount(owner.address, 'pending');
        for (let k = 0; k < 3; k++) {
          const name = rng.pick(ATTRIBUTE_NAMES);
          const value = rng.pick(values(name));
          used.push({ kind: 'attribute', type: name, value });
          const revoke = k === 1 && rng.next() < 0.5;
          const args = revoke ? [bytes32(name), value] : [bytes32(name), value, rng.pick(VALIDITIES)];
          await registry.send(owner, revoke ? 'revokeAttribute' : 'setAttribute', args, nonce++);
        }
        await provider.send('evm_mine', []);
      } finally {
        await provider.send('evm_setAutomine', [true]);
      }
    } else {
      // Time passes: expiries happen by block time.
      await provider.send('evm_increaseTime', [rng.pick([1, 2, 3, 7, 30, 600])]);
      await provider.send('evm_mine', []);
    }
    await mirror.sync();
    expect(mirror.syncedBlock).toBe(await provider.getBlockNumber());
    await compare(mirror, did, 'application/did+json', seed);
  }
  // Deactivation (owner 0x0) ends some histories: nothing after it counts.
  if (rng.next() < 0.5) {
    await registry.send(owner, 'changeOwner', ['0x0000000000000000000000000000000000000000']);
    await provider.send('evm_mine', []);
    await mirror.sync();
  }
  const head = mirror.syncedBlock;
  for (let block = first - 1; block <= head; block++) {
    await compare(mirror, `${did}?versionId=${block}`, block % 3 === 0 ? 'application/did+ld+json' : 'application/did+json', seed);
  }
  await compare(mirror, did, 'application/did+ld+json', seed);
  expect(mirror.stats.fallback).toBe(0);

});
