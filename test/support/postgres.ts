import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own for one test file, on the cluster of GOVCRED_TEST_DATABASE_URL. */
export interface FreshDatabase {
  /** `postgres://…/<fresh name>` */
  url: string;
  /** Drops the database (closing any connection still open to it). */
  drop(): Promise<void>;
}

/** The cluster's URL, or undefined when no PostgreSQL runs for this test run (its tests then skip). */
export function postgresUrl(): string | undefined {
  return process.env.GOVCRED_TEST_DATABASE_URL || undefined;
}

/**
 * Creates an empty database with a random name on the test cluster, so test files never share state (each
 * runs its own migrations on it). Call `drop()` in afterAll.
 */
export async function freshDatabase(clusterUrl = postgresUrl()): Promise<FreshDatabase> {
  if (!clusterUrl) throw new Error('GOVCRED_TEST_DATABASE_URL is not set: no PostgreSQL cluster for this test');
  const name = `govcred_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    // The name is ours (hex), never user input: safe to splice into DDL, which takes no parameters.
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: clusterUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
