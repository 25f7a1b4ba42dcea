import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';
import { supervise } from './processes.js';

/** A govcred service running as a child process. */
export interface ServiceProcess {
  name: string;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Seconds from spawning it until `readyPath` first answered, and until every worker listened too. */
  startup: { firstAnswerSeconds: number; everyWorkerSeconds: number };
}

/**
 * The line a service's primary prints once every worker listens (apps/common/src/runtime/cluster.ts), or the one
 * process prints once it listens alone.
 */
const LISTENING_LINE = /^\[[a-z-]+\] (?:[0-9]+ workers )?listening on /m;

/**
 * Starts a built service (`dist/…/main.js`) with `env`, its output appended to `logFile`, and waits until every
 * worker listens and `readyPath` answers 2xx on `url`. Not at the first answer: a cluster's first worker answers
 * before the others are forked, and keep-alive connections opened then (a benchmark's clients) would stay with
 * that one worker for good.
 */
export async function startService(options: {
  name: string;
  /** Path of the built entry point, relative to the repository root. */
  entry: string;
  url: string;
  env: Record<string, string>;
  logFile: string;
  readyPath?: string;
  timeoutMs?: number;
  /** Node options before the entry point (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}): Promise<ServiceProcess> {
  // Logs may name people and credentials: owner-only (an existing log keeps its mode; the devnet narrows it).
  const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(repoRoot(), options.entry)], {
    cwd: repoRoot(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // Only the start-up output is kept here, and only until the line shows.
  let startOutput = '';
  let listening = false;
  const watch = (chunk: Buffer) => {
    startOutput = (startOutput + chunk.toString('utf8')).slice(-4096);
    if (LISTENING_LINE.test(startOutput)) {
      listening = true;
      child.stdout.off('data', watch);
    }
  };
  child.stdout.on('data', watch);
  const { exited, stop } = supervise(child, 5000);

  const spawned = performance.now();
  const since = () => Math.round(performance.now() - spawned) / 1000;
  let firstAnswerSeconds: number | undefined;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const probe = `${options.url}${options.readyPath ?? '/docs-json'}`;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`${options.name} exited during start-up; see ${options.logFile}`);
    try {
      // Read before the probe: a line seen now means every worker listened before this answer.
      const everyWorker = listening;
      if ((await fetch(probe, { signal: AbortSignal.timeout(1000) })).ok) {
        firstAnswerSeconds ??= since();
        if (everyWorker) return { name: options.name, url: options.url, process: child, stop, startup: { firstAnswerSeconds, everyWorkerSeconds: since() } };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, firstAnswerSeconds === undefined ? 150 : 50));
  }
  await stop();
  throw new Error(`${options.name} did not answer on ${probe}; see ${options.logFile}`);
}
