/**
 * `npm run bench`: benchmarks on a chain of its own (a Hardhat node on a free port), each beside a baseline
 * measured in the same run. Prints tables and writes bench-results/*.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProvider } from '../../libs/credentials/src/index.js';
import { startChainNode } from '../lib/chain-node.js';
import { repoRoot } from '../lib/paths.js';
import { freePort } from '../lib/processes.js';
import { formatGasTable, runGasBench } from './gas.js';
import { runMirrorBench } from './mirror.js';


const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const outDir = path.join(repoRoot(), 'bench-results');
  mkdirSync(outDir, { recursive: true });
  log('starting a Hardhat chain for the benchmarks …');
  const chain = await startChainNode({ port: await freePort() });
  const provider = createProvider(chain.rpcUrl, chain.chainId, 50);
  try {
    const signer = await provider.getSigner(0);
    const gas = await runGasBench(signer, [1, 100, 1_000, 10_000], log);
    writeFileSync(path.join(outDir, 'gas.json'), JSON.stringify(gas, null, 2) + '\n');
    console.log('\n' + formatGasTable(gas) + '\n');
    log(`wrote ${path.join(outDir, 'gas.json')}`);

    const mirror = await runMirrorBench(signer, chain.rpcUrl, { credentials: 10_000_000, changeRatio: 0.05 }, log);
    writeFileSync(path.join(outDir, 'mirror.json'), JSON.stringify(mirror, null, 2) + '\n');
    console.log(
      `\nStatus mirror cold sync: ${mirror.credentials.toLocaleString('en')} credentials in ${mirror.lists} lists, ` +
        `${mirror.statusChanges.toLocaleString('en')} status changes: ${mirror.coldSyncSeconds} s, ` +
        `${mirror.retainedMb} MB retained (RSS grew ${mirror.rssMb} MB)\n`,
    );
  } finally {
    provider.destroy();
    await chain.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
