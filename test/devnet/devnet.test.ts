import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet, type Devnet } from '../../scripts/lib/devnet.js';
import { freePort } from '../support/free-port.js';

const quiet = () => undefined;

test('npm start brings up a chain, deploys the registries, writes the manifest, and reuses them on a re-run', async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'govcred-devnet-'));
  // A home an older version left readable to all, with a readable log in it.
  chmodSync(home, 0o755);
  writeFileSync(path.join(home, 'issuer.log'), 'old lines\n', { mode: 0o644 });
  const chainPort = await freePort();
  const lines: string[] = [];
  let first: Devnet | undefined;
  let second: Devnet | undefined;
  try {
    first = await startDevnet({ home, chainHost: '127.0.0.1', chainPort, log: (l) => lines.push(l) });
    expect(first.chain).toBeDefined();
    const manifest = JSON.parse(readFileSync(path.join(home, 'devnet.json'), 'utf8'));
    expect(manifest).toMatchObject({
      chain: { rpcUrl: `http://127.0.0.1:${chainPort}`, chainId: 31337 },
      governance: { address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) },
      services: {},
      agencies: [],
      verifiers: [],
    });
    for (const name of ['didRegistry', 'trustRegistry', 'statusRegistry', 'verifierRegistry'] as const) {
      expect(await first.provider.getCode(manifest.contracts[name])).not.toBe('0x');
    }
    expect(lines.some((l) => l.includes('deploying'))).toBe(true);
    // Owner-only: the home, the manifest, the logs (the old one narrowed).
    const mode = (name: string) => statSync(path.join(home, name)).mode & 0o777;
    expect([mode('.'), mode('devnet.json'), mode('chain.log'), mode('issuer.log')]).toEqual([0o700, 0o600, 0o600, 0o600]);

    // Against the chain already up: no new chain, no new deployment.
    const before = await first.provider.getBlockNumber();
    second = await startDevnet({ home, chainHost: '127.0.0.1', chainPort, log: quiet });
    expect(second.chain).toBeUndefined();
    expect(second.manifest.contracts).toEqual(manifest.contracts);
    expect(await first.provider.getBlockNumber()).toBe(before);
  } finally {
    await second?.stop();
    await first?.stop();
  }
  // The chain it started is gone.
  const { probeChainId } = await import('../../scripts/lib/chain-node.js');
  expect(await probeChainId(`http://127.0.0.1:${chainPort}`)).toBeUndefined();
});
