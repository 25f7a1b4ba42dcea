/**
 * `node dist/scripts/bench/body-flood.js`: how much memory unauthenticated clients can make the issuer hold by
 * sending large bodies. Starts the local system on a temporary home and free ports, then sends 30 parallel
 * 15 MB JSON bodies without an API key to `POST /credentials/issue/bulk` and reports the issuer's resident
 * memory (idle, peak) and how each request was answered. Not part of `npm run bench`: it answers one question.
 *
 * Settings (environment): FLOOD_CLIENTS (30), FLOOD_MB (15), FLOOD_PATH (/credentials/issue/bulk).
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/processes.js';
import { startSystem } from '../lib/system.js';
import { processMemoryMb } from './stats.js';

const CLIENTS = Number(process.env.FLOOD_CLIENTS ?? 30);
const MEGABYTES = Number(process.env.FLOOD_MB ?? 15);
const ROUTE = process.env.FLOOD_PATH ?? '/credentials/issue/bulk';

/** A JSON bulk request of about `bytes` bytes: many small items, as a real (if hostile) bulk body would be. */
function floodBody(bytes: number): Buffer {
  const item = JSON.stringify({ credential: { type: 'EducationCredential', credentialSubject: { id: 'did:ethr:0x7a69:0x' + '1'.repeat(40), name: '张三' } } });
  const count = Math.ceil(bytes / (item.length + 1));
  return Buffer.from(`{"items":[${Array.from({ length: count }, () => item).join(',')}]}`);
}

interface Outcome {
  status: number;
  /** ms from the first byte sent to the response head. */
  answeredMs: number;
  /** Whether the response came before this client had written its whole body. */
  beforeBodySent: boolean;
}

/** Sends `body` in 64 KiB chunks (as a slow-ish client would) and resolves with the answer. */
function send(url: string, body: Buffer): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sent = false;
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, answeredMs: Math.round(performance.now() - started), beforeBodySent: !sent });
    });
    // The server may close the connection after answering early: that is the point, not a failure.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length && !answered) {
        const chunk = body.subarray(offset, offset + 65_536);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      if (!answered) {
        sent = true;
        req.end();
      }
    };
    writeMore();
  });
}

async function main(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'govcred-flood-'));
  const system = await startSystem({
    home,
    chainHost: '127.0.0.1',
    chainPort: await freePort(),
    issuerPort: await freePort(),
    verifierPort: await freePort(),
    log: () => undefined,
  });
  try {
    const issuer = system.services.get('issuer')!;
    const pid = issuer.process.pid!;
    const idle = await processMemoryMb(pid);
    const body = floodBody(MEGABYTES * 2 ** 20);
    let peak = 0;
    const sampler = setInterval(() => void processMemoryMb(pid).then((m) => (peak = Math.max(peak, m?.rssMb ?? 0))), 20);
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: CLIENTS }, () => send(issuer.url + ROUTE, body)));
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(sampler);
    const after = await processMemoryMb(pid);
    const statuses = [...new Set(outcomes.map((o) => o.status))].join(', ');
    const answered = outcomes.map((o) => o.answeredMs).sort((a, b) => a - b);
    console.log(
      JSON.stringify(
        {
          clients: CLIENTS,
          bodyMb: Math.round((body.length / 2 ** 20) * 10) / 10,
          route: ROUTE,
          statuses,
          answeredBeforeBodySent: outcomes.filter((o) => o.beforeBodySent).length,
          answeredMsMedian: answered[Math.floor(answered.length / 2)],
          answeredMsMax: answered[answered.length - 1],
          seconds: Math.round(seconds * 100) / 100,
          issuerRssIdleMb: idle?.rssMb,
          issuerRssPeakSampledMb: peak,
          issuerVmHwmMb: after?.peakMb,
          issuerRssAfterMb: after?.rssMb,
        },
        null,
        2,
      ),
    );
  } finally {
    await system.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
