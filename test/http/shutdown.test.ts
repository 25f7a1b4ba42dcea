/**
 * Closing a service's app (SIGTERM in production: Nest's shutdown hooks, then the HTTP server) with clients still
 * connected: a connection that never sent a request (a browser's or load balancer's preconnect) and an idle
 * keep-alive one are closed at once, a request in flight is answered (with `Connection: close`) before the
 * server goes. Node's own server.close() would wait for the preconnect until headersTimeout (66 s here).
 */
import http from 'node:http';
import net from 'node:net';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureApp } from '../../apps/common/src/http/configure-app.js';

let release: () => void = () => undefined;
let entered: () => void = () => undefined;

@Controller()
class SlowController {
  @Get('slow')
  async slow(): Promise<{ done: boolean }> {
    entered();
    await new Promise<void>((resolve) => (release = resolve));
    return { done: true };
  }

  @Get('fast')
  fast(): { done: boolean } {
    return { done: true };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

async function startApp(): Promise<{ app: INestApplication; port: number }> {
  const app = await NestFactory.create(SlowModule, { bodyParser: false, logger: false });
  configureApp(app, { title: 'shutdown', description: 'shutdown test', version: '0' });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as net.AddressInfo).port };
}

/** A TCP connection that has sent nothing yet; resolves once connected, `closed` once the server ended it. */
async function preconnect(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed };
}

function get(port: number, path: string, agent: http.Agent): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
}

test('closing the app closes a preconnected and an idle keep-alive connection at once', async () => {
  const { app, port } = await startApp();
  const agent = new http.Agent({ keepAlive: true });
  try {
    expect((await get(port, '/fast', agent)).status).toBe(200); // leaves an idle keep-alive socket in the agent
    const idle = Object.values(agent.freeSockets).flat()[0]!;
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    const early = await preconnect(port);
    // Without the terminator this waits for the preconnect until headersTimeout, past Jest's timeout.
    await app.close();
    await Promise.all([early.closed, idleClosed]);
    expect(early.socket.destroyed).toBe(true);
  } finally {
    agent.destroy();
  }
});

test('a request in flight when the app closes is answered, with Connection: close, before the server goes', async () => {
  const { app, port } = await startApp();
  const agent = new http.Agent({ keepAlive: true });
  try {
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const answer = get(port, '/slow', agent);
    await inside;
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    // The app waits for the request (its hooks have run, the server is draining)…
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false);
    release();
    // …which is answered in full, telling the client not to reuse the connection.
    expect(await answer).toEqual({ status: 200, connection: 'close', body: '{"done":true}' });
    await closing;
    expect(closed).toBe(true);
  } finally {
    agent.destroy();
  }
});
