/**
 * `node dist/scripts/rotate-key.js <agency name or id> [signing|writer]`: rotates a devnet agency's signing key
 * (or renews its status writer), with the devnet signing for governance from `.govcred/secrets.json`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rotateAgencyKey } from './lib/governance.js';
import { readManifest } from './lib/manifest.js';
import { repoRoot } from './lib/paths.js';

async function main(): Promise<void> {
  const [which, role = 'signing'] = process.argv.slice(2);
  if (!which || (role !== 'signing' && role !== 'writer')) throw new Error('usage: node dist/scripts/rotate-key.js <agency name or id> [signing|writer]');
  const home = process.env.GOVCRED_HOME ?? path.join(repoRoot(), '.govcred');
  const manifest = readManifest(path.join(home, 'devnet.json'));
  const secrets = JSON.parse(readFileSync(path.join(home, 'secrets.json'), 'utf8')) as { adminToken: string; agencyOwnerKeys?: Record<string, string> };
  const agency = manifest?.agencies.find((a) => a.id === which || a.name.includes(which));
  if (!agency || !manifest?.services.issuer) throw new Error(`no devnet agency ${which}: start the devnet first (npm start)`);
  // Owner keys are kept by the agency's English name, the part of the manifest name in parentheses.
  const ownerKey = Object.entries(secrets.agencyOwnerKeys ?? {}).find(([nameEn]) => agency.name.endsWith(`(${nameEn})`))?.[1];
  if (!ownerKey) throw new Error(`no owner key of ${agency.name} in secrets.json (an agency created before key roles)`);
  const done = await rotateAgencyKey(manifest.services.issuer, secrets.adminToken, agency.id, ownerKey, role);
  console.log(JSON.stringify(done, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
