/**
 * One real Hardhat chain for the whole run. Test files never share accounts or deployments on it: each
 * deploys its own registries from fresh funded wallets (see chain.ts), so workers can run side by side.
 * And, unless GOVCRED_TEST_DATABASE_URL names one already, a throwaway PostgreSQL cluster, so `npm test` alone
 * runs the PostgreSQL tests too (they fail, saying how to install the server, when there is none).
 *
 * Jest loads this file as CommonJS, outside its module mapper, so it cannot import the project's ESM
 * sources (scripts/lib/chain-node.ts); it starts the node with Node built-ins only, and the cluster through
 * scripts/test-postgres.ts in a child process.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

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

/** Starts the throwaway cluster; on failure records why in GOVCRED_TEST_POSTGRES_UNAVAILABLE for the tests to report. */
async function startPostgres(root: string): Promise<void> {
  if (process.env.GOVCRED_TEST_DATABASE_URL || process.env.GOVCRED_SKIP_POSTGRES === '1') return;
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'govcred-test-pg-')), 'cluster');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', './test/support/ts-register.mjs', 'scripts/test-postgres.ts', 'start', dir], { cwd: root });
    process.env.GOVCRED_TEST_DATABASE_URL = (JSON.parse(stdout) as { url: string }).url;
    (globalThis as { __govcredPostgresDir?: string }).__govcredPostgresDir = dir;
  } catch (error) {
    rmSync(path.dirname(dir), { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    process.env.GOVCRED_TEST_POSTGRES_UNAVAILABLE = stderr || String(error);
  }
}

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const root = path.resolve(__dirname, '../..');
  const postgres = startPostgres(root);
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
  await postgres;
}
