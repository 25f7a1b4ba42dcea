import { createProvider } from '../../../../../libs/credentials/src/chain/provider.js';
import { listCredentialTypes } from '../../../../../libs/credentials/src/catalog/registry.js';
import { StatusMirror } from '../../../../../libs/credentials/src/status/status-mirror.js';
import { TrustMirror } from '../../../../../libs/credentials/src/trust/trust-mirror.js';
import { VerifierMirror } from '../../../../../libs/credentials/src/trust/verifier-mirror.js';
import type { WalletSettings } from './settings';

/**
 * The chain as the browser reads it, straight from its JSON-RPC (no server in between learns what the citizen
 * holds): whole status lists and whole registries, never one credential's entry.
 */

export type { WalletSettings } from './settings';

/** Syncs a mirror of the whole registry from the deployment block, then lets go of the provider. */
async function synced<M extends { sync(): Promise<unknown> }>(settings: WalletSettings, make: (provider: ReturnType<typeof createProvider>) => M): Promise<M | undefined> {
  const provider = createProvider(settings.rpcUrl, settings.chainId);
  try {
    const mirror = make(provider);
    await mirror.sync();
    return mirror;
  } catch {
    // Shown as unknown (status) or refused (registration): the wallet never vouches for what it could not read.
    return undefined;
  } finally {
    provider.destroy();
  }
}

const follow = (settings: WalletSettings, registry: string, provider: ReturnType<typeof createProvider>) => ({
  provider,
  registry,
  chainId: settings.chainId,
  fromBlock: settings.deployBlock,
});

export const readStatusLists = (s: WalletSettings) => synced(s, (p) => new StatusMirror(follow(s, s.statusRegistry, p)));
export const readTrustRegistry = (s: WalletSettings) => synced(s, (p) => new TrustMirror(follow(s, s.trustRegistry, p)));
export const readVerifierRegistry = (s: WalletSettings) =>
  synced(s, (p) => new VerifierMirror({ ...follow(s, s.verifierRegistry, p), typeNames: listCredentialTypes().map((t) => t.type) }));

/** Registrations are dated by blocks: judged by the later of the latest block's time and the device's clock. */
export async function chainNow(settings: WalletSettings): Promise<number> {
  const provider = createProvider(settings.rpcUrl, settings.chainId);
  try {
    const block = await provider.getBlock('latest');
    return Math.max(block?.timestamp ?? 0, Math.floor(Date.now() / 1000));
  } catch {
    return Math.floor(Date.now() / 1000);
  } finally {
    provider.destroy();
  }
}
