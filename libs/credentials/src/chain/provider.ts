import { JsonRpcProvider, type JsonRpcPayload, type JsonRpcResult, type TransactionRequest } from 'ethers';

/** Per-transaction gas cap of the networks govcred targets (Hardhat, EIP-7825 chains). */
export const TRANSACTION_GAS_CAP = 16_777_216;

/**
 * The gas limit a transaction is sent with, for a node's estimate of it: the estimate plus 10 % and 25,000 gas,
 * never above {@link TRANSACTION_GAS_CAP} (an estimate above it is left as it is, for the node to refuse).
 *
 * A node estimates against one block's state and context, the transaction runs in a later one. geth (and the
 * chains built on it) estimates in the latest block: there a storage slot that a transaction of that block set to
 * `block.number` — ERC-1056's `changed[identity]`, written by every call for an identity — is rewritten with the
 * same value (a no-op write); in the next block it is a paid one, and the transaction, sent with the bare
 * estimate, runs out of gas: an agency's second registry call in a row, a key rotation's for instance. 25,000
 * covers a few such slots (2,800 each; 20,000 for a slot that turns non-zero), the 10 % what other transactions
 * change in between. Unused gas is not charged.
 */
export function gasLimitFor(estimate: bigint): bigint {
  const cap = BigInt(TRANSACTION_GAS_CAP);
  if (estimate >= cap) return estimate;
  const limit = estimate + estimate / 10n + 25_000n;
  return limit < cap ? limit : cap;
}

/**
 * ethers' JSON-RPC provider, reading answers with Node's UTF-8 decoder. ethers decodes a response body in
 * JavaScript one code point at a time (an array of numbers, then one string per character): a mirror's
 * multi-megabyte `eth_getLogs` answer (the 10-million-entry registry's status changes) left ~150 MB of garbage
 * and a verifier process of ~250 MB RSS after its cold sync (now ~170 MB). Everything else (the request,
 * retries, errors, a body that is not JSON) is ethers' own; invalid UTF-8, which a JSON-RPC answer (hex and
 * ASCII) never holds, becomes U+FFFD instead of an error.
 */
class NodeDecodingJsonRpcProvider extends JsonRpcProvider {
  override async _send(payload: JsonRpcPayload | Array<JsonRpcPayload>): Promise<Array<JsonRpcResult>> {
    const request = this._getConnection();
    request.body = JSON.stringify(payload);
    request.setHeader('content-type', 'application/json');
    const response = await request.send();
    response.assertOk();
    const body = response.body;
    let answer: unknown;
    try {
      answer = body === null ? response.bodyJson : JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    } catch {
      answer = response.bodyJson; // not JSON: ethers' own error
    }
    return (Array.isArray(answer) ? answer : [answer]) as Array<JsonRpcResult>;
  }

  /** The node's estimate with headroom ({@link gasLimitFor}): what signers of this provider send transactions with. */
  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    return gasLimitFor(await super.estimateGas(tx));
  }
}

/**
 * A JSON-RPC provider set up for govcred's chain clients.
 *
 * `staticNetwork` skips a chain-id round trip per call, and `cacheTimeout: -1` turns off ethers'
 * short-lived request cache, which otherwise hands back a stale nonce on back-to-back transactions
 * against an automining node. Transactions of its signers carry a gas limit with headroom ({@link gasLimitFor}).
 *
 * @param rpcUrl JSON-RPC endpoint.
 * @param chainId EIP-155 chain id; detected once when omitted.
 * @param pollingIntervalMs How often `tx.wait()` and subscriptions poll. @default 500
 */
export function createProvider(rpcUrl: string, chainId?: number, pollingIntervalMs = 500): JsonRpcProvider {
  return new NodeDecodingJsonRpcProvider(rpcUrl, chainId, {
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
