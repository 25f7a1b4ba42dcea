/**
 * PostgreSQL in the tests. The Jest global setup starts a throwaway cluster when the server binaries are installed
 * and GOVCRED_TEST_DATABASE_URL is unset; each test file works on a fresh database of its own on it. These tests
 * never skip silently: without PostgreSQL they fail, saying how to install it, unless GOVCRED_SKIP_POSTGRES=1 asks
 * to skip them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_INSTALL_HINT, findPostgresBinaries } from '../../scripts/lib/postgres-cluster.js';

const SKIP = process.env.GOVCRED_SKIP_POSTGRES === '1';

/** A database of its own for one test file, on the cluster of GOVCRED_TEST_DATABASE_URL. */
export interface FreshDatabase {
  /** `postgres://…/<fresh name>` */
  url: string;
  /** Drops the database (closing any connection still open to it). */
  drop(): Promise<void>;
}

/** The cluster's URL, or undefined when no PostgreSQL runs for this test run. */
export function postgresUrl(): string | undefined {
  return process.env.GOVCRED_TEST_DATABASE_URL || undefined;
}

function unavailable(what: string): () => never {
  const reason = process.env.GOVCRED_TEST_POSTGRES_UNAVAILABLE;
  return () => {
    throw new Error(`${what} is not available for this test run${reason ? ` (${reason})` : ''}. To run these tests, ${POSTGRES_INSTALL_HINT}; GOVCRED_SKIP_POSTGRES=1 skips them.`);
  };
}

/**
 * Creates an empty database with a random name on the test cluster, so test files never share state (each
 * runs its own migrations on it). Call `drop()` when done.
 */
export async function freshDatabase(clusterUrl = postgresUrl()): Promise<FreshDatabase> {
  if (!clusterUrl) unavailable('PostgreSQL')();
  const name = `govcred_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    // The name is ours (hex), never user input: safe to splice into DDL, which takes no parameters.
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl!);
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

/** Runs `fn` with a fresh, empty database of the run's PostgreSQL, dropped afterwards. */
export function postgresTest(name: string, fn: (databaseUrl: string) => Promise<void>, timeoutMs?: number): void {
  if (!postgresUrl()) return SKIP ? test.skip(name, () => undefined) : test(name, unavailable('PostgreSQL'));
  test(
    name,
    async () => {
      const database = await freshDatabase();
      try {
        await fn(database.url);
      } finally {
        await database.drop().catch(() => undefined);
      }
    },
    timeoutMs,
  );
}

/**
 * `describe` for a block of PostgreSQL tests that share one fresh database (made in its beforeAll): without
 * PostgreSQL the block is one failing test, or skipped with GOVCRED_SKIP_POSTGRES=1.
 */
export function describePostgres(name: string, fn: () => void): void {
  if (postgresUrl()) return describe(name, fn);
  if (SKIP) return describe.skip(name, fn);
  describe(name, () => test('PostgreSQL is available', unavailable('PostgreSQL')));
}

/** A test that needs PostgreSQL's server binaries on this machine (it starts a cluster of its own). */
export function postgresServerTest(name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  if (findPostgresBinaries()) return test(name, fn, timeoutMs);
  return SKIP ? test.skip(name, () => undefined) : test(name, unavailable("PostgreSQL's server"));
}
