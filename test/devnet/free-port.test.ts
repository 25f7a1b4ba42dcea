import { readFileSync } from 'node:fs';
import net from 'node:net';
import { FETCH_BAD_PORTS, freePort } from '../support/free-port.js';

// Services the tests start bind the port freePort picked a moment earlier. A port of the kernel's ephemeral range
// could be taken in between by any outgoing connection of the parallel suites (a service then failed to start
// with EADDRINUSE); picked below that range, only an explicit bind to the same port can take it.
test('free ports come from below the kernel ephemeral range, and a server can listen on them', async () => {
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).toBeLessThan(low);
  }
  // Random picks: twenty of them are not all the same port.
  expect(new Set(ports).size).toBeGreaterThan(1);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ports[0], '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
});

// Node's fetch (as the start-up probe uses it) and Chromium refuse the Fetch standard's bad ports, even with a
// server listening there: a service on such a port never answers its start-up probe.
test('a Fetch bad port is never handed out, and fetch refuses it', async () => {
  const bad = [...FETCH_BAD_PORTS][0];
  const refusal = await fetch(`http://127.0.0.1:${bad}/`).then(() => undefined, (error: Error) => error);
  // Refused before any connection is tried (not a closed port: that would be ECONNREFUSED).
  expect(String((refusal?.cause as Error | undefined)?.message)).toMatch(/bad port/);
  const draws: number[] = [];
  const port = await freePort((low, high) => {
    const draw = draws.length < 3 ? bad : 20_000 + draws.length;
    draws.push(draw);
    return Math.min(Math.max(draw, low), high - 1);
  });
  expect(draws.slice(0, 3)).toEqual([bad, bad, bad]);
  expect(port).not.toBe(bad);
  expect(port).toBe(draws[draws.length - 1]);
});
