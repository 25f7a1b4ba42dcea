/**
 * The verifier process: settings from the environment (see config/verifier.config.ts and .env.example),
 * validated before anything starts. SIGINT/SIGTERM close it through Nest's shutdown hooks.
 */
import { restrictUmask } from '../../common/src/runtime/private-files.js';
import { loadVerifierConfig } from './config/verifier.config.js';
import { startVerifier } from './start-verifier.js';

async function main(): Promise<void> {
  // Databases, logs and anything else this process writes hold keys or personal data: owner-only.
  restrictUmask();
  const config = loadVerifierConfig(process.env);
  const verifier = await startVerifier(config);
  console.log(`[verifier] listening on ${verifier.url} (domain ${config.VERIFIER_DOMAIN}, chain ${config.CHAIN_ID}); docs at ${verifier.url}/docs`);
}

main().catch((error: unknown) => {
  console.error(`[verifier] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
