import http from 'node:http';
import { percentile, round } from './stats.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs JSON over a keep-alive connection pool (fetch adds ~10% client CPU at these rates). */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers } },
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

/** Closes the pooled connections (to a service that is about to stop). */
export function closeConnections(): void {
  agent.destroy();
}
