/**
 * Starts the issuer from the environment (see config/issuer.config.ts and apps/issuer/.env.example), on
 * ISSUER_CLUSTER_WORKERS processes sharing the port (default: one per core; see runClustered).
 * `node dist/apps/issuer/src/main.js`
 */
import 'reflect-metadata';
import { runClustered } from '../../common/src/runtime/cluster.js';
import { restrictUmask } from '../../common/src/runtime/private-files.js';
import { loadIssuerConfig } from './config/issuer.config.js';

async function main(): Promise<void> {
  // Databases, logs and anything else this process writes hold keys or personal data: owner-only.
  restrictUmask();
  const config = loadIssuerConfig(process.env);
  // The app is imported only where it runs: the cluster's primary stays a small process.
  await runClustered({
    name: 'issuer',
    workers: config.ISSUER_CLUSTER_WORKERS,
    prepare: async () => (await import('./issuer-app.js')).prepareIssuerDatabase(config),
    serve: async () => {
      const issuer = await (await import('./issuer-app.js')).startIssuer(config);
      const stop = async () => {
        await issuer.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return { url: `${issuer.url} (docs at ${issuer.url}/docs)` };
    },
  });
}

main().catch((error: unknown) => {
  console.error(`[issuer] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
