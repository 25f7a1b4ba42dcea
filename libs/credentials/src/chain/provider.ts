import { JsonRpcProvider, type JsonRpcPayload, type JsonRpcResult } from 'ethers';

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
}

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
