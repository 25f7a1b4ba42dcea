import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON-RPC proxy in front of the chain that counts the calls passing through it, by method. */
export interface RpcCounter {
  url: string;
  /** Calls per method since the last {@link reset}. */
  counts(): Record<string, number>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a counting proxy to `upstream`. Batches are counted call by call. Used to show how many chain
 * calls the verifier makes while it verifies (the goal is none per verification: only its mirrors poll).
 */
export async function startRpcCounter(upstream: string): Promise<RpcCounter> {
  let counts: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { method?: string } | Array<{ method?: string }>;
        for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
          const method = call.method ?? '?';
          counts[method] = (counts[method] ?? 0) + 1;
        }
      } catch {
        counts['(unparsable)'] = (counts['(unparsable)'] ?? 0) + 1;
      }
      fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(Buffer.from(await reply.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => (counts = {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
