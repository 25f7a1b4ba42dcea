import { Contract, Wallet, toBeHex, type JsonRpcProvider } from 'ethers';
import { DID_REGISTRY_ABI, createProvider } from '../../libs/credentials/src/index.js';
import { deployRegistries, type RegistryDeployment } from '../../scripts/lib/deploy.js';

/** A provider for the run's chain (started by global-setup.ts). */
export function testProvider(rpcUrl?: string): JsonRpcProvider {
  const url = rpcUrl ?? process.env.GOVCRED_TEST_RPC_URL;
  if (!url) throw new Error('GOVCRED_TEST_RPC_URL is not set: run the tests through jest.config.mjs');
  return createProvider(url, 31337, 50);
}

/** A new random account holding 10,000 ETH (set directly, so no shared funding account and no nonce races). */
export async function fundedWallet(provider: JsonRpcProvider): Promise<Wallet> {
  const wallet = Wallet.createRandom().connect(provider);
  await provider.send('hardhat_setBalance', [wallet.address, toBeHex(10n ** 22n)]);
  return new Wallet(wallet.privateKey, provider);
}

/** A fresh deployment of the three registries, with its own governance account. */
export interface Fixture extends RegistryDeployment {
  provider: JsonRpcProvider;
  governance: Wallet;
  chainId: number;
}

/**
 * Deploys fresh registries: one fixture per test, no shared state.
 * @param rpcUrl Another chain (a file's private chain, for tests that move the chain's clock). @default the shared one
 */
export async function deployFixture(rpcUrl?: string): Promise<Fixture> {
  const provider = testProvider(rpcUrl);
  const governance = await fundedWallet(provider);
  const deployment = await deployRegistries(governance);
  return { ...deployment, provider, governance, chainId: 31337 };
}

/** Hands control of `identity` to `newOwner` in the ERC-1056 registry (signed by the current owner). */
export async function rotateOwner(didRegistry: string, owner: Wallet, identity: string, newOwner: string): Promise<void> {
  const registry = new Contract(didRegistry, DID_REGISTRY_ABI, owner);
  await (await registry.getFunction('changeOwner')(identity, newOwner)).wait();
}

/**
 * Moves the chain's clock to `timestamp` (Unix seconds), or just past the latest block when other test files on the
 * shared chain already mined at or beyond it, and mines a block. Returns the timestamp of the mined block.
 */
export async function setNextBlockTime(provider: JsonRpcProvider, timestamp: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const latest = (await provider.getBlock('latest'))!.timestamp;
    const next = Math.max(timestamp, latest + 1);
    try {
      await provider.send('evm_setNextBlockTimestamp', [toBeHex(next)]);
      await provider.send('evm_mine', []);
      return next;
    } catch (error) {
      // Another file mined a block between our read and our write: read again (a few times at most).
      if (attempt >= 4) throw error;
    }
  }
}
