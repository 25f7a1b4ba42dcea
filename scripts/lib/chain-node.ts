import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './paths.js';
import { supervise } from './processes.js';

/** A local Hardhat chain running as a child process. */
export interface ChainNode {
  rpcUrl: string;
  chainId: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Asks an RPC endpoint for its chain id; undefined when nothing answers. */
export async function probeChainId(rpcUrl: string, timeoutMs = 1000): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { result?: string };
    return body.result ? Number(body.result) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `hardhat node` on `hostname:port` and waits until it answers `eth_chainId`.
 * The node binary is started directly, not through npx, so that stopping it by its handle stops the chain.
 * @param logFile Where the node's own output goes. @default discarded
 */
export async function startChainNode(options: {
  hostname?: string;
  port: number;
  logFile?: string;
  timeoutMs?: number;
}): Promise<ChainNode> {
  const hostname = options.hostname ?? '127.0.0.1';
  const require = createRequire(import.meta.url);
  const bootstrap = path.join(path.dirname(require.resolve('hardhat/package.json')), 'internal/cli/bootstrap.js');
  const child = spawn(process.execPath, [bootstrap, 'node', '--hostname', hostname, '--port', String(options.port)], {
    cwd: repoRoot(),
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
    stdio: ['ignore', options.logFile ? 'pipe' : 'ignore', options.logFile ? 'pipe' : 'ignore'],
  });
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const { exited, stop } = supervise(child, 3000);

  const rpcUrl = `http://${hostname}:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`hardhat node exited before answering on ${rpcUrl} (is the port in use?)`);
    const chainId = await probeChainId(rpcUrl, 500);
    if (chainId !== undefined) return { rpcUrl, chainId, process: child, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`hardhat node did not answer on ${rpcUrl} within ${options.timeoutMs ?? 30_000} ms`);
}
