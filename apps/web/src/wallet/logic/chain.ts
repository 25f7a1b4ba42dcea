import type { createProvider } from '../../../../../libs/credentials/src/chain/provider.js';
import { syncedMirror } from '../../../../../libs/credentials/src/holder/chain-reads.js';
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

const follow = (settings: WalletSettings, registry: string, provider: ReturnType<typeof createProvider>) => ({
  provider,
  registry,
  chainId: settings.chainId,
  fromBlock: settings.deployBlock,
});

export const readStatusLists = (s: WalletSettings) => syncedMirror(s, (p) => new StatusMirror(follow(s, s.statusRegistry, p)));
export const readTrustRegistry = (s: WalletSettings) => syncedMirror(s, (p) => new TrustMirror(follow(s, s.trustRegistry, p)));
export const readVerifierRegistry = (s: WalletSettings) =>
  syncedMirror(s, (p) => new VerifierMirror({ ...follow(s, s.verifierRegistry, p), typeNames: listCredentialTypes().map((t) => t.type) }));

/** Registrations are dated by blocks: judged by the later of the latest block's time and the device's clock. */
export { chainNow } from '../../../../../libs/credentials/src/holder/chain-reads.js';
