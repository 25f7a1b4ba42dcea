import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
