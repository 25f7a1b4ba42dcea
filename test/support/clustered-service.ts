/**
 * A service as production starts it, on several worker processes (node:cluster needs a process of its own to be
 * the primary): `main.ts` run from its TypeScript sources in a child process (ts-register, as crash.test.ts does;
 * the workers inherit the loader), on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { repoRoot } from '../../scripts/lib/paths.js';
import { freePort } from './free-port.js';

export interface ClusteredService {
  url: string;
  port: number;
  primary: ChildProcess;
  /** What the primary and its workers printed (stdout and stderr). */
  output(): string;
  /** Live child processes of the primary (its workers), from Linux /proc. */
  workerPids(): number[];
  /** SIGTERM to the primary; resolves with its exit code once it exited. */
  stop(): Promise<number | null>;
}

/**
 * Starts `apps/<service>/src/main.ts` with `env` (the port variable is set here) and waits until every worker
 * listens (the primary says so) and `readyPath` answers.
 */
export async function startClustered(service: 'issuer' | 'verifier', env: Record<string, string>, readyPath: string): Promise<ClusteredService> {
  const port = await freePort();
  const portVariable = service === 'issuer' ? 'ISSUER_PORT' : 'VERIFIER_PORT';
  const primary = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', `apps/${service}/src/main.ts`], {
    cwd: repoRoot(),
    env: { ...process.env, ...env, [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (primary.exitCode !== null) throw new Error(`the ${service} exited during start-up:\n${output}`);
    const listening = /workers listening on|\] listening on/.test(output);
    if (listening && (await fetch(`${url}${readyPath}`).then((r) => r.ok, () => false))) break;
    if (Date.now() > deadline) {
      primary.kill('SIGKILL');
      throw new Error(`the ${service} did not answer:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    primary,
    output: () => output,
    workerPids: () => childPids(primary.pid!),
    async stop() {
      if (primary.exitCode === null) primary.kill('SIGTERM');
      return exited;
    },
  };
}

/** Child processes of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** Whether a process is alive (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One HTTP request on a connection of its own (no keep-alive pool): the cluster's primary hands each new
 * connection to the next worker in turn, so consecutive or concurrent requests reach different workers.
 */
export function request(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), connection: 'close', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A request that never gets an answer is a failure to report, not a test that hangs.
    req.setTimeout(20_000, () => req.destroy(new Error(`${method} ${url}: no answer within 20 s`)));
    req.end(payload);
  });
}

/** The distinct worker pids that answer `GET <url>/health` over `tries` fresh connections. */
export async function answeringPids(url: string, tries = 8): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) pids.add((await request('GET', `${url}/health`)).body.pid as number);
  return pids;
}
