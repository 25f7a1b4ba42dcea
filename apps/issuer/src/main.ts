/**
 * Starts the issuer from the environment (see config/issuer.config.ts and apps/issuer/.env.example).
 * `node dist/apps/issuer/src/main.js`
 */
import 'reflect-metadata';
import { restrictUmask } from '../../common/src/runtime/private-files.js';
import { loadIssuerConfig } from './config/issuer.config.js';
import { startIssuer } from './issuer-app.js';

async function main(): Promise<void> {
  // Databases, logs and anything else this process writes hold keys or personal data: owner-only.
  restrictUmask();
  const config = loadIssuerConfig(process.env);
  const issuer = await startIssuer(config);
  console.log(`[issuer] listening on ${issuer.url} (docs at ${issuer.url}/docs)`);
  const stop = async () => {
    await issuer.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[issuer] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
