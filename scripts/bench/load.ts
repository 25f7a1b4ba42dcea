import http from 'node:http';
import { percentile, round } from './stats.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * POSTs JSON over a keep-alive connection pool (fetch adds ~10% client CPU at these rates). A Buffer is sent as
 * is: timed loops serialise their bodies beforehand, so the clients' CPU is spent on HTTP only.
 */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return sendJson('POST', url, body, headers);
}

/** One request on the same pool: `body` (JSON, or a Buffer as is) for POST, none for GET and DELETE. */
export function sendJson(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Wall time and per-job latencies (ms) of one timed run. */
export interface TimedRun {
  seconds: number;
  latencies: number[];
}

/** Runs `count` jobs with `concurrency` loops. */
export async function timed(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<TimedRun> {
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await job(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

/** Throughput and latency percentiles of a run of `count` jobs. */
export function throughput(count: number, run: TimedRun): { perSecond: number; p50Ms: number; p99Ms: number } {
  return {
    perSecond: Math.round(count / run.seconds),
    p50Ms: round(percentile(run.latencies, 50), 2),
    p99Ms: round(percentile(run.latencies, 99), 2),
  };
}

/**
 * One in-process baseline run: `count` jobs, `concurrency` at a time, each answering whether it did what it should;
 * throws if any did not (a baseline that fails is no baseline). Throughput, latencies and this process's CPU per job.
 */
export async function timedInProcess(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<boolean>,
  what: string,
): Promise<{ perSecond: number; p50Ms: number; p99Ms: number; cpuMsPerJob: number }> {
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const run = await timed(count, concurrency, async (i) => {
    if (!(await job(i))) failures++;
  });
  if (failures > 0) throw new Error(`${what}: ${failures} of ${count} failed`);
  const cpu = process.cpuUsage(cpuBefore);
  return { ...throughput(count, run), cpuMsPerJob: round((cpu.user + cpu.system) / 1000 / count, 3) };
}

/** Closes the pooled connections (to a service that is about to stop). */
export function closeConnections(): void {
  agent.destroy();
}
