/**
 * PostgreSQL tests never skip silently: without PostgreSQL they fail, saying how to install it, unless
 * GOVCRED_SKIP_POSTGRES=1 asks to skip them. The Jest global setup starts a throwaway cluster when the server
 * binaries are installed and GOVCRED_TEST_DATABASE_URL is unset.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_INSTALL_HINT, findPostgresBinaries } from '../../scripts/lib/postgres-cluster.js';

const SKIP = process.env.GOVCRED_SKIP_POSTGRES === '1';

function unavailable(what: string): () => never {
  const reason = process.env.GOVCRED_TEST_POSTGRES_UNAVAILABLE;
  return () => {
    throw new Error(`${what} is not available for this test run${reason ? ` (${reason})` : ''}. To run these tests, ${POSTGRES_INSTALL_HINT}; GOVCRED_SKIP_POSTGRES=1 skips them.`);
  };
}

/** Runs `fn` with a fresh, empty database of the run's PostgreSQL (GOVCRED_TEST_DATABASE_URL), dropped afterwards. */
export function postgresTest(name: string, fn: (databaseUrl: string) => Promise<void>, timeoutMs?: number): void {
  const base = process.env.GOVCRED_TEST_DATABASE_URL;
  if (!base) return SKIP ? test.skip(name, () => undefined) : test(name, unavailable('PostgreSQL'));
  test(
    name,
    async () => {
      const database = `govcred_t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${database}`);
        const url = new URL(base);
        url.pathname = `/${database}`;
        await fn(url.toString());
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
        await admin.end();
      }
    },
    timeoutMs,
  );
}

/** A test that needs PostgreSQL's server binaries on this machine (it starts a cluster of its own). */
export function postgresServerTest(name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  if (findPostgresBinaries()) return test(name, fn, timeoutMs);
  return SKIP ? test.skip(name, () => undefined) : test(name, unavailable("PostgreSQL's server"));
}
