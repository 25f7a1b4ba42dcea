import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The lowest port the kernel hands out by itself (a bind to port 0, an outgoing connection's local port). */
function lowestEphemeralPort(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low > 0 && low <= high) return low;
  } catch {
    // Not Linux: its usual range (32768–60999).
  }
  return 32768;
}

/** Whether a TCP server could listen on `port` of 127.0.0.1 just now (it is closed again before this resolves). */
function listenable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

const LOWEST_PICKED_PORT = 10_000;

/**
 * The ports of the Fetch standard's "bad port" list at or above {@link LOWEST_PICKED_PORT}: Node's `fetch`
 * (undici) and Chromium refuse to connect to them, so a service there never answers the start-up probe or the
 * browser tests (one full test run lost a demo this way: its verifier listened on 10080).
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([10080]);

/**
 * A TCP port that was free a moment ago on 127.0.0.1, for a service started right after. Picked at random below
 * the kernel's ephemeral range: a port from that range (what a bind to port 0 returns) can be taken, between this
 * check and the service's own bind, by any outgoing connection or port-0 bind on the machine — the test suite's
 * parallel suites make thousands — and the service then fails to start with EADDRINUSE. Below the range only an
 * explicit bind to that very port can take it. Never a port of {@link FETCH_BAD_PORTS}. Falls back to a port-0
 * bind when no such port is found.
 * @param pick Draws a candidate in [low, high) (tests pass their own). @default crypto.randomInt
 */
export async function freePort(pick: (low: number, high: number) => number = randomInt): Promise<number> {
  const low = lowestEphemeralPort();
  for (let attempt = 0; low - LOWEST_PICKED_PORT > 1000 && attempt < 20; attempt++) {
    const candidate = pick(LOWEST_PICKED_PORT, low);
    if (FETCH_BAD_PORTS.has(candidate)) continue;
    const port = await listenable(candidate);
    if (port !== undefined) return port;
  }
  const port = await listenable(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}

/** Tracks a child process's exit; `stop()` sends SIGTERM, then SIGKILL after `graceMs`, and waits for the exit. */
export function supervise(child: ChildProcess, graceMs: number): { exited: () => boolean; stop: () => Promise<void> } {
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    exited: () => exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
      }),
  };
}
