import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../support/free-port.js';

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
