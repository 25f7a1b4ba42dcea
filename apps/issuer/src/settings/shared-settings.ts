import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { IssuerConfig } from '../config/issuer.config.js';

/** Table written by migration IssuerSetting1764400000000. */
const TABLE = 'issuer_setting';

/**
 * The values that must be equal on every replica of one database, by setting name. Addresses are compared
 * case-insensitively; the KMS secret only by a fingerprint (the secret itself is never stored).
 * - ISSUER_PUBLIC_URL: offers and access tokens are stored under the Credential Issuer URL that made them; a
 *   replica with another URL does not know them.
 * - CHAIN_ID and the registries: DIDs, status lists and accreditation live there.
 * - ISSUER_KMS_SECRET: it decrypts the agency keys every replica signs with.
 */
export function sharedValues(config: IssuerConfig): Record<string, string | undefined> {
  return {
    ISSUER_PUBLIC_URL: config.ISSUER_PUBLIC_URL?.replace(/\/$/, ''),
    CHAIN_ID: String(config.CHAIN_ID),
    DID_REGISTRY: config.DID_REGISTRY.toLowerCase(),
    TRUST_REGISTRY: config.TRUST_REGISTRY.toLowerCase(),
    STATUS_REGISTRY: config.STATUS_REGISTRY.toLowerCase(),
    ISSUER_KMS_SECRET: `sha256:${createHash('sha256').update(`govcred kms secret fingerprint\0${config.ISSUER_KMS_SECRET.toLowerCase()}`).digest('hex').slice(0, 16)}`,
  };
}

const SECRET = new Set(['ISSUER_KMS_SECRET']);

/**
 * On a shared database (DATABASE_URL), records at first start the settings every replica must share and
 * refuses to start a replica whose value differs, naming the setting. Two replicas starting at once both try to
 * record; the first insert wins and the other compares against it. On the embedded SQLite file (one process)
 * there is nothing to compare with, and nothing is checked.
 *
 * ISSUER_PUBLIC_URL unset on a shared database is a warning, not a refusal: one replica alone derives a correct
 * URL from its host and port; but once any replica has recorded one, a replica without it refuses.
 */
export async function checkSharedSettings(dataSource: DataSource, config: IssuerConfig, now = new Date()): Promise<{ warnings: string[] }> {
  if (!config.DATABASE_URL) return { warnings: [] };
  const mine = sharedValues(config);
  const rows = Object.entries(mine)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ({ name, value, recorded_at: now.toISOString() }));
  await dataSource.createQueryBuilder().insert().into(TABLE, ['name', 'value', 'recorded_at']).values(rows).orIgnore().execute();
  const recorded = await readRecorded(dataSource);

  const problems: string[] = [];
  for (const [name, value] of Object.entries(mine)) {
    const theirs = recorded.get(name);
    if (theirs === undefined || theirs === value) continue;
    if (value === undefined) problems.push(`${name} is unset here, but the other replicas of this database use ${JSON.stringify(theirs)}: set it to that value`);
    else if (SECRET.has(name)) problems.push(`${name} differs from the one the other replicas of this database use (it could not decrypt their agency keys)`);
    else problems.push(`${name} is ${JSON.stringify(value)} here, but the other replicas of this database use ${JSON.stringify(theirs)}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `settings differ from the other replicas on this database: ${problems.join('; ')}. Every replica must use the same values; ` +
        `to change one for all of them, stop every replica, change it, and delete its row from the ${TABLE} table.`,
    );
  }
  if (mine.ISSUER_PUBLIC_URL !== undefined) return { warnings: [] };
  return {
    warnings: [
      'ISSUER_PUBLIC_URL is unset on a shared database (DATABASE_URL): this replica names itself by its own host and port, so credential ' +
        'offers it makes are unknown at other replicas. Set ISSUER_PUBLIC_URL to the one URL wallets reach every replica at.',
    ],
  };
}

async function readRecorded(dataSource: DataSource): Promise<Map<string, string>> {
  const rows = await dataSource.createQueryBuilder().select(['s.name AS name', 's.value AS value']).from(TABLE, 's').getRawMany<{ name: string; value: string }>();
  return new Map(rows.map((r) => [r.name, r.value]));
}
