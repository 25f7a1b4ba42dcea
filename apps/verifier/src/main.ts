/**
 * The verifier process: settings from the environment (see config/verifier.config.ts and .env.example),
 * validated before anything starts, on VERIFIER_CLUSTER_WORKERS processes sharing the port (default: one per
 * core; see runClustered). SIGINT/SIGTERM close each worker through Nest's shutdown hooks.
 */
import { runClustered } from '../../common/src/runtime/cluster.js';
import { restrictUmask } from '../../common/src/runtime/private-files.js';
import { loadVerifierConfig } from './config/verifier.config.js';

async function main(): Promise<void> {
  // Databases, logs and anything else this process writes hold keys or personal data: owner-only.
  restrictUmask();
  const config = loadVerifierConfig(process.env);
  // The app is imported only where it runs: the cluster's primary stays a small process.
  await runClustered({
    name: 'verifier',
    workers: config.VERIFIER_CLUSTER_WORKERS,
    prepare: async () => (await import('./start-verifier.js')).prepareVerifierDatabase(config),
    serve: async () => {
      const verifier = await (await import('./start-verifier.js')).startVerifier(config);
      return { url: `${verifier.url} (domain ${config.VERIFIER_DOMAIN}, chain ${config.CHAIN_ID}); docs at ${verifier.url}/docs` };
    },
  });
}

main().catch((error: unknown) => {
  console.error(`[verifier] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
