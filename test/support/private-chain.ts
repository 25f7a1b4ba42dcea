import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Wallet, toBeHex, type JsonRpcProvider } from 'ethers';
import { createProvider } from '../../libs/credentials/src/index.js';
import { deployRegistries } from '../../scripts/lib/deploy.js';
import { repoRoot } from '../../scripts/lib/paths.js';
import type { Fixture } from './chain.js';
import { freePort } from './free-port.js';

/** A Hardhat chain of one test file's own, for tests that need the chain's clock in step with this machine's. */
export interface PrivateChain {
  url: string;
  fixture: Fixture;
  stop(): Promise<void>;
}

/**
 * Starts a Hardhat node for one test file and deploys fresh registries on it. The shared test chain's clock can
 * be moved ahead by other test files (evm_setNextBlockTimestamp), which a test about "the DID document as of
 * issuance time" must not depend on.
 */
export async function startPrivateChain(): Promise<PrivateChain> {
  const port = await freePort();
  const root = repoRoot();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/hardhat/internal/cli/bootstrap.js'), 'node', '--hostname', '127.0.0.1', '--port', String(port)],
    { cwd: root, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' }, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('private chain did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const provider: JsonRpcProvider = createProvider(url, 31337, 50);
  const governance = Wallet.createRandom().connect(provider);
  await provider.send('hardhat_setBalance', [governance.address, toBeHex(10n ** 22n)]);
  const deployment = await deployRegistries(new Wallet(governance.privateKey, provider));
  const fixture: Fixture = { ...deployment, provider, governance: new Wallet(governance.privateKey, provider), chainId: 31337 };
  return {
    url,
    fixture,
    stop: () =>
      new Promise<void>((resolve) => {
        provider.destroy();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * For a test file that moves the chain's clock ahead (evm_setNextBlockTimestamp): a chain of the file's own, so
 * the shared chain's clock stays with this machine's (agency signing keys are valid from their block time on).
 * Registers the file's beforeAll/afterAll. @returns the chain's URL, to read once beforeAll has run
 */
export function privateChainPerFile(): () => string {
  let chain: PrivateChain | undefined;
  beforeAll(async () => {
    chain = await startPrivateChain();
  });
  afterAll(() => chain?.stop());
  return () => chain!.url;
}
