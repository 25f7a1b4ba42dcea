/**
 * How a wallet reaches other parties (an agency's OID4VCI endpoints, a verifier's request object and response
 * URI): one per-request timeout, no redirect followed, and every answer read whole up to {@link MAX_ANSWER_BYTES}
 * before anything parses it. The OpenID libraries read bodies whole, so the bound is applied in the fetch they are
 * given. Browser-safe.
 */

/** The largest answer a wallet reads: a credential response with a batch of 50 SD-JWT VC copies is ~150 kB. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Why a wallet's request to another party gave no usable answer: the network failed, or the answer is past the bound. */
export class WalletFetchError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'too_large',
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(reason === 'unreachable' ? `could not reach ${url}` : `the answer of ${url} is larger than ${MAX_ANSWER_BYTES} bytes`, options);
    this.name = 'WalletFetchError';
  }
}

/**
 * A fetch with the wallet's rules, and the last failure it met: the libraries wrap errors in their own (some
 * without `cause`), so callers ask `failure()` why a call failed.
 */
export function walletFetch(options: { fetch?: typeof fetch; timeoutMs: number }): { fetch: typeof fetch; failure(): WalletFetchError | undefined } {
  const base = options.fetch ?? globalThis.fetch;
  let failure: WalletFetchError | undefined;
  const bounded: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input).slice(0, 200);
    try {
      return await readBounded(await base(input, { ...init, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) }), url);
    } catch (error) {
      failure = error instanceof WalletFetchError ? error : new WalletFetchError('unreachable', url, { cause: error });
      throw failure;
    }
  };
  return { fetch: bounded, failure: () => failure };
}

/** `response` with its body read up to {@link MAX_ANSWER_BYTES}, declared or not. @throws WalletFetchError `too_large` */
async function readBounded(response: Response, url: string): Promise<Response> {
  if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new WalletFetchError('too_large', url);
  }
  if (!response.body) return response;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new WalletFetchError('too_large', url);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  // A null-body status (204, 304) must be rebuilt without a body.
  const empty = response.status === 204 || response.status === 304;
  return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
