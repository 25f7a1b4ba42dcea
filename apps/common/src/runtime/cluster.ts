import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

/** What one process of a service runs. */
export interface ClusterRoles {
  /** Service name for log lines, e.g. `verifier`. */
  name: string;
  /** Worker processes wanted; undefined: one per available core. 1: this process serves alone, no cluster. */
  workers: number | undefined;
  /**
   * Runs once, in the first worker before it serves and before any other worker starts (database migrations,
   * settings every worker must find recorded). It should close what it opened.
   */
  prepare: () => Promise<void>;
  /** Starts the service in this process (HTTP on the shared port); answers its URL. */
  serve: () => Promise<{ url: string }>;
}

/** Environment variable telling a forked process which role it has. */
const ROLE = 'GOVCRED_CLUSTER_ROLE';
/** How long stopping workers may take before they are killed. */
const STOP_GRACE_MS = 10_000;
/** A worker that lived less than this counts as crashing at start: restarts back off. */
const QUICK_EXIT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;

/** The worker that prepares the database, then serves; every other worker (and any restarted one) only serves. */
const FIRST = 'first';

/**
 * Whether this process runs database migrations: any process outside a cluster, and a cluster's first worker
 * (before any other worker is forked); never another worker.
 */
export function runsMigrations(): boolean {
  return !cluster.isWorker || process.env[ROLE] === FIRST;
}

/** The number of worker processes a setting asks for (unset: one per core). */
export function workerCount(setting: number | undefined): number {
  return setting ?? availableParallelism();
}

/**
 * Runs a service on every core: node:cluster workers share the port (the primary accepts connections and hands
 * them round-robin to the workers, which run the whole HTTP app). The primary stays small: it forks one worker, which
 * runs `prepare` and then serves, and the others once that one listens (so migrations never race each other, and
 * the service answers as soon as it can); it restarts a worker that dies (only serving; backing off while they
 * keep dying at start), and on SIGINT/SIGTERM stops them all and exits.
 *
 * Everything the workers must agree on lives in the database (single use, leases, idempotency, audit order),
 * as between replicas. With one worker the service runs in this very process, as before clustering existed.
 */
export async function runClustered(roles: ClusterRoles): Promise<void> {
  const count = workerCount(roles.workers);
  if (cluster.isWorker) {
    if (process.env[ROLE] === FIRST) await roles.prepare();
    await roles.serve();
    return;
  }
  if (count <= 1) {
    const { url } = await roles.serve();
    console.log(`[${roles.name}] listening on ${url}`);
    return;
  }
  await runPrimary(roles, count);
}

async function runPrimary(roles: ClusterRoles, count: number): Promise<void> {
  const log = (line: string) => console.log(`[${roles.name}] ${line}`);

  let stopping = false;
  let everListened = false;
  let quickExits = 0;
  const started = new Map<Worker, number>();
  const fork = (role = 'serve') => {
    const worker = cluster.fork({ [ROLE]: role });
    started.set(worker, Date.now());
  };

  let listening = 0;
  const ready = new Promise<string>((resolve) => {
    cluster.on('listening', (_worker, address) => {
      everListened = true;
      quickExits = 0;
      if (++listening === count) resolve(`http://${address.address ?? '127.0.0.1'}:${address.port}`);
    });
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) return;
    if (!everListened) {
      // A worker that cannot start (chain unreachable, port taken…) would not start after a restart either.
      console.error(`[${roles.name}] a worker failed to start (${signal ?? code}); stopping`);
      void stopAll(1);
      return;
    }
    quickExits = lived < QUICK_EXIT_MS ? quickExits + 1 : 0;
    const delay = quickExits === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 250 * 2 ** quickExits);
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another${delay ? ` in ${delay} ms` : ''}`);
    setTimeout(() => !stopping && fork(), delay).unref();
  });

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(workers.map((w) => stopWorker(w)));
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  // One worker first, the others once it listens: the service answers as soon as one worker is ready. Every worker
  // syncs its own chain mirrors at start; started together they shared the cores and the chain's RPC, and the first
  // answered only when they all did (the 10 M-credential registry: 6.1 s with two workers, 3.2 s for one alone).
  // The first worker prepares the database itself before it serves, so no worker ever races the migrations (a
  // process of its own for them cost a Node start, ~1.5 s, before any worker began).
  cluster.once('listening', () => {
    for (let i = 1; i < count && !stopping; i++) fork();
  });
  fork(FIRST);
  log(`${count} workers listening on ${await ready} (primary pid ${process.pid})`);
}

/** Resolves with a worker's exit code (or signal name). */
function exitOf(worker: Worker): Promise<number | string> {
  return new Promise((resolve) => worker.once('exit', (code, signal) => resolve(signal ?? code)));
}

/** Asks a worker to stop (SIGTERM: the app closes through its shutdown hooks), killing it after a grace period. */
function stopWorker(worker: Worker): Promise<unknown> {
  if (worker.isDead()) return Promise.resolve();
  const exited = exitOf(worker);
  worker.process.kill('SIGTERM');
  const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
  return exited.finally(() => clearTimeout(timer));
}
