/**
 * `npm start`: the whole local system on embedded defaults. Ctrl-C stops everything it started.
 *
 * Settings (environment): GOVCRED_HOME (.govcred), GOVCRED_CHAIN_HOST (127.0.0.1), GOVCRED_CHAIN_PORT (8545),
 * GOVCRED_GOVERNANCE_KEY (the chain's first unlocked account when unset).
 */
import path from 'node:path';
import { startDevnet } from './lib/devnet.js';

function port(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port: ${value}`);
  return n;
}

const log = (line: string) => console.log(`[govcred] ${line}`);

async function main(): Promise<void> {
  const devnet = await startDevnet({
    home: path.resolve(process.env.GOVCRED_HOME ?? '.govcred'),
    chainHost: process.env.GOVCRED_CHAIN_HOST ?? '127.0.0.1',
    chainPort: port(process.env.GOVCRED_CHAIN_PORT, 8545),
    governanceKey: process.env.GOVCRED_GOVERNANCE_KEY,
    log,
  });
  log('ready. Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping …`);
    await devnet.stop();
    log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A chain this run started that dies takes the system down with it.
  devnet.chain?.process.once('exit', (code) => {
    if (!stopping) {
      log(`the chain exited (code ${code}); stopping.`);
      process.exit(1);
    }
  });
}

main().catch((error: unknown) => {
  console.error(`[govcred] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
