/**
 * A throwaway PostgreSQL cluster for the tests, started and stopped from another process (the Jest global
 * setup and teardown, which cannot load the project's ESM sources themselves):
 *   node --import ./test/support/ts-register.mjs scripts/test-postgres.ts start <dir>   → prints {"url": …}
 *   node --import ./test/support/ts-register.mjs scripts/test-postgres.ts stop <dir>
 * The server keeps running after `start` returns (pg_ctl detaches it) until `stop`.
 */
import { newClusterPassword, startPostgresCluster, stopPostgresCluster } from './lib/postgres-cluster.js';

async function main(): Promise<void> {
  const [command, dir] = process.argv.slice(2);
  if (!dir || !['start', 'stop'].includes(command)) throw new Error('usage: test-postgres.ts start|stop <dir>');
  if (command === 'stop') return stopPostgresCluster(dir);
  const cluster = await startPostgresCluster({ dir, password: newClusterPassword(), throwaway: true });
  await cluster.createDatabase('govcred_test');
  console.log(JSON.stringify({ url: cluster.url('govcred_test') }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
