import { JsonRpcProvider } from 'ethers';

/**
 * A JSON-RPC provider set up for govcred's chain clients.
 *
 * `staticNetwork` skips a chain-id round trip per call, and `cacheTimeout: -1` turns off ethers'
 * short-lived request cache, which otherwise hands back a stale nonce on back-to-back transactions
 * against an automining node.
 *
 * @param rpcUrl JSON-RPC endpoint.
 * @param chainId EIP-155 chain id; detected once when omitted.
 * @param pollingIntervalMs How often `tx.wait()` and subscriptions poll. @default 500
 */
export function createProvider(rpcUrl: string, chainId?: number, pollingIntervalMs = 500): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    pollingInterval: pollingIntervalMs,
  });
}

/** Where govcred's registries live on one chain. */
export interface ChainConfig {
  /** JSON-RPC endpoint. */
  rpcUrl: string;
  /** EIP-155 chain id. */
  chainId: number;
  /** ERC-1056 EthereumDIDRegistry address. */
  didRegistry: string;
  /** TrustRegistry address. */
  trustRegistry: string;
  /** StatusRegistry address. */
  statusRegistry: string;
  /** Block the registries were deployed in: log scans start here. @default 0 */
  deployBlock?: number;
}
