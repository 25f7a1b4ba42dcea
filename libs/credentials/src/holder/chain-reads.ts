import type { JsonRpcProvider } from 'ethers';
import { createProvider } from '../chain/provider.js';

/**
 * The chain as a wallet reads it, straight from a JSON-RPC endpoint (CLI and web wallet alike): whole
 * registries synced into a mirror, never one credential's entry, so the node cannot learn what is held.
 * Browser-safe (no `node:` imports).
 */

/** The JSON-RPC endpoint a wallet reads. */
export interface WalletRpc {
  rpcUrl: string;
  chainId: number;
}

/**
 * Syncs the mirror `make` builds on a fresh provider, then lets go of the provider.
 * @returns the synced mirror, or undefined when the chain could not be read: shown as unknown (status) or
 * refused (registration) by the caller, since the wallet never vouches for what it could not read
 */
export async function syncedMirror<M extends { sync(): Promise<unknown> }>(rpc: WalletRpc, make: (provider: JsonRpcProvider) => M): Promise<M | undefined> {
  const provider = createProvider(rpc.rpcUrl, rpc.chainId);
  try {
    const mirror = make(provider);
    await mirror.sync();
    return mirror;
  } catch {
    return undefined;
  } finally {
    provider.destroy();
  }
}

/**
 * Registration periods are written in chain time: judged by the later of the latest block's time and the
 * device's clock (the device's alone when the chain cannot be read). @returns seconds since the epoch
 */
export async function chainNow(rpc: WalletRpc, clock: () => number = Date.now): Promise<number> {
  const deviceNow = Math.floor(clock() / 1000);
  const provider = createProvider(rpc.rpcUrl, rpc.chainId);
  try {
    const block = await provider.getBlock('latest');
    return Math.max(block?.timestamp ?? 0, deviceNow);
  } catch {
    return deviceNow;
  } finally {
    provider.destroy();
  }
}
