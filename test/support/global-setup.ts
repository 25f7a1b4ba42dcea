/**
 * One real Hardhat chain for the whole run. Test files never share accounts or deployments on it: each
 * deploys its own registries from fresh funded wallets (see chain.ts), so workers can run side by side.
 *
 * Jest loads this file as CommonJS, outside its module mapper, so it cannot import the project's ESM
 * sources (scripts/lib/chain-node.ts); it starts the node with Node built-ins only.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const root = path.resolve(__dirname, '../..');
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/hardhat/internal/cli/bootstrap.js'), 'node', '--hostname', '127.0.0.1', '--port', String(port)],
    { cwd: root, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' }, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the test chain did not start on ${url}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.GOVCRED_TEST_RPC_URL = url;
  (globalThis as { __govcredChain?: typeof child }).__govcredChain = child;
}
