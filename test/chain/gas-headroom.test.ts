/**
 * Transactions sent through govcred's provider carry a gas limit with headroom over the node's estimate
 * (`gasLimitFor`). geth estimates in the context of the latest block (Hardhat in the pending one): there, an
 * identity's ERC-1056 `changed[identity] = block.number`, set by a call mined in that very block, is a no-op
 * write, and the next call sent with the bare estimate runs out of gas. A JSON-RPC proxy makes this chain
 * estimate as geth does (an `eth_estimateGas` without a block tag gets "latest").
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonRpcProvider, Wallet, hexlify, randomBytes, toBeHex } from 'ethers';
import { TRANSACTION_GAS_CAP, createProvider, gasLimitFor } from '../../libs/credentials/src/index.js';
import { Erc1056, VERI_KEY_HEX, bytes32 } from '../support/erc1056.js';
import { startPrivateChain, type PrivateChain } from '../support/private-chain.js';

let chain: PrivateChain;
let proxy: http.Server;
let proxyUrl: string;
let estimates = 0;

/** Forwards JSON-RPC to the chain; `eth_estimateGas` without a block tag is asked for the latest block, as geth does. */
function gethLikeEstimates(target: string): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      const calls = (Array.isArray(body) ? body : [body]) as Array<{ method: string; params: unknown[] }>;
      for (const call of calls) {
        if (call.method === 'eth_estimateGas' && call.params.length === 1) {
          call.params.push('latest');
          estimates++;
        }
      }
      void fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        async (answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
        () => res.writeHead(502).end(),
      );
    });
  });
}

beforeAll(async () => {
  chain = await startPrivateChain();
  proxy = gethLikeEstimates(chain.url);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await chain?.stop();
});

/** An identity with gas, its own owner, signing through `provider`. */
async function identityOn(provider: JsonRpcProvider): Promise<{ owner: Wallet; registry: Erc1056 }> {
  const owner = new Wallet(Wallet.createRandom().privateKey, provider);
  await chain.fixture.provider.send('hardhat_setBalance', [owner.address, toBeHex(10n ** 20n)]);
  return { owner, registry: new Erc1056(chain.fixture.didRegistry, owner.address) };
}

const setKey = (registry: Erc1056, owner: Wallet, key: string) => registry.send(owner, 'setAttribute', [bytes32(VERI_KEY_HEX), key, 86_400]);
const newKey = () => hexlify(randomBytes(33));

test('with a bare estimate from the latest block, the second registry call in a row runs out of gas', async () => {
  // ethers' own provider sends the node's estimate as the gas limit.
  const bare = new JsonRpcProvider(proxyUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const { owner, registry } = await identityOn(bare);
    const first = await (await setKey(registry, owner, newKey())).wait();
    expect(first?.status).toBe(1);
    const before = estimates;
    await expect(setKey(registry, owner, newKey()).then((tx) => tx.wait())).rejects.toThrow(/out of gas/i);
    expect(estimates).toBeGreaterThan(before);
  } finally {
    bare.destroy();
  }
});

test("through govcred's provider, consecutive registry calls of one identity succeed", async () => {
  const provider = createProvider(proxyUrl, 31337, 50);
  try {
    const { owner, registry } = await identityOn(provider);
    const keys = [newKey(), newKey(), newKey()];
    const before = estimates;
    // A key rotation's calls: two keys published, the first one revoked, each right after the other.
    for (const key of keys.slice(0, 2)) expect((await (await setKey(registry, owner, key)).wait())?.status).toBe(1);
    const revoked = await (await registry.send(owner, 'revokeAttribute', [bytes32(VERI_KEY_HEX), keys[0]])).wait();
    expect(revoked?.status).toBe(1);
    expect(estimates - before).toBe(3);
    // The limit was the estimate with headroom, and what ran used less.
    const tx = await provider.getTransaction(revoked!.hash);
    expect(tx!.gasLimit).toBeGreaterThan(revoked!.gasUsed);
  } finally {
    provider.destroy();
  }
});

test('the headroom: 10 % and 25,000 gas, never above the per-transaction cap', () => {
  expect(gasLimitFor(21_000n)).toBe(21_000n + 2_100n + 25_000n);
  expect(gasLimitFor(1_000_000n)).toBe(1_125_000n);
  const cap = BigInt(TRANSACTION_GAS_CAP);
  expect(gasLimitFor(cap - 100_000n)).toBe(cap);
  // An estimate over the cap is left for the node to refuse.
  expect(gasLimitFor(cap + 1n)).toBe(cap + 1n);
});
