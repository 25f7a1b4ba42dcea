import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './processes.js';

const run = promisify(execFile);

/** What to tell someone whose machine has no PostgreSQL server. */
export const POSTGRES_INSTALL_HINT = "install PostgreSQL's server binaries: apt-get install -y postgresql (Debian, Ubuntu), or set GOVCRED_PG_BIN to the folder holding initdb, pg_ctl and postgres";

/** Superuser of every cluster started here. */
const SUPERUSER = 'govcred';

/**
 * The folder holding `initdb`, `pg_ctl` and `postgres`: GOVCRED_PG_BIN, else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian's layout), else the folder of `initdb` on PATH; undefined when none.
 */
export function findPostgresBinaries(env: Record<string, string | undefined> = process.env): string | undefined {
  const complete = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(path.join(dir, b)));
  if (env.GOVCRED_PG_BIN) return complete(env.GOVCRED_PG_BIN) ? env.GOVCRED_PG_BIN : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) if (complete(path.join(debian, version, 'bin'))) return path.join(debian, version, 'bin');
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir && complete(dir)) return dir;
  return undefined;
}

/** uid and gid of the `postgres` account, from /etc/passwd. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The first folder from `dir` up to / that `account` may not search (by owner, group and other bits), if any. */
function closedAncestor(dir: string, account: { uid: number; gid: number }): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const { uid, gid, mode } = statSync(current);
    const searchable = uid === account.uid ? mode & 0o100 : gid === account.gid ? mode & 0o010 : mode & 0o001;
    if (!searchable) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** A PostgreSQL cluster this process started (or found running in its folder). */
export interface PostgresCluster {
  port: number;
  dataDir: string;
  /** postgres:// URL of `database` for the cluster's superuser. */
  url(database: string): string;
  /** Creates `database`; with `replace`, drops an existing one first. */
  createDatabase(database: string, options?: { replace?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /** Folder of the cluster (data, log, password); created 0700, owned by the server's account. */
  dir: string;
  /** The superuser's password (SCRAM; the server listens on 127.0.0.1 only). */
  password: string;
  /** @default a free port */
  port?: number;
  /** Trade durability for speed (fsync off): throwaway test clusters only. @default false */
  throwaway?: boolean;
}

/**
 * Starts a local PostgreSQL cluster from the server binaries (initdb on first use, then pg_ctl), listening on
 * 127.0.0.1 only, with password authentication. As root the server runs as the `postgres` account (PostgreSQL
 * refuses root); that account then needs to pass through the folder holding `dir`, which becomes 0710 with the
 * postgres group (still closed to everyone else).
 */
export async function startPostgresCluster(options: PostgresClusterOptions): Promise<PostgresCluster> {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error(`no PostgreSQL server binaries (initdb, pg_ctl, postgres) on this machine: ${POSTGRES_INSTALL_HINT}`);
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  let account: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    account = postgresAccount();
    if (!account) throw new Error('running as root, and there is no postgres account to run the PostgreSQL server as (apt-get install -y postgresql creates it)');
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (account) {
    chownSync(dir, account.uid, account.gid);
    const parent = path.dirname(dir);
    const parentStat = statSync(parent);
    if (parentStat.uid === 0 && (parentStat.mode & 0o077) === 0) {
      chownSync(parent, 0, account.gid);
      chmodSync(parent, 0o710);
    }
    const closed = closedAncestor(parent, account);
    if (closed) {
      throw new Error(
        `the PostgreSQL server runs as the postgres account, which cannot pass through ${closed} to reach ${dir}: ` +
          'choose a home folder it can reach (e.g. under /var/tmp or /srv), or run as an ordinary user',
      );
    }
  }
  const as = { ...(account ?? {}), cwd: dir, env: { ...process.env, LC_ALL: 'C' } };

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pwfile = path.join(dir, 'initdb-password');
    writeFileSync(pwfile, options.password + '\n', { mode: 0o600 });
    if (account) chownSync(pwfile, account.uid, account.gid);
    try {
      await run(
        path.join(bin, 'initdb'),
        ['-D', dataDir, '-U', SUPERUSER, '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', ...(options.throwaway ? ['--no-sync'] : [])],
        as,
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  // A server a killed run left behind holds the data folder (on a port no one knows any more): stop it first.
  if (await run(path.join(bin, 'pg_ctl'), ['-D', dataDir, 'status'], as).then(() => true, () => false)) await stopServer(bin, dataDir, as);
  const port = options.port ?? (await freePort());
  // No Unix socket: its path would be in a folder other accounts cannot reach anyway, and TCP on loopback suffices.
  const serverOptions = [`-p ${port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''", ...(options.throwaway ? ['-c fsync=off', '-c synchronous_commit=off'] : [])];
  await run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions.join(' '), 'start'], as);

  const url = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    dataDir,
    url,
    async createDatabase(database, { replace = false } = {}) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`not a database name: ${database}`);
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        if (replace) await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
      } finally {
        await client.end();
      }
    },
    stop: () => stopServer(bin, dataDir, as),
  };
}

function stopServer(bin: string, dataDir: string, as: object): Promise<void> {
  return run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], as).then(
    () => undefined,
    () => undefined, // not running
  );
}

/** Stops the cluster in `dir` if it runs (from another process than the one that started it). */
export async function stopPostgresCluster(dir: string): Promise<void> {
  const bin = findPostgresBinaries();
  if (!bin) return;
  const account = process.getuid?.() === 0 ? postgresAccount() : undefined;
  await stopServer(bin, path.join(path.resolve(dir), 'data'), { ...(account ?? {}), cwd: '/' });
}

/** A fresh random password for a cluster's superuser. */
export function newClusterPassword(): string {
  return randomBytes(18).toString('base64url');
}
