import { execFile, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** Stops the PostgreSQL cluster the global setup started (if it did) and removes its folder. */
async function stopPostgres(): Promise<void> {
  const dir = (globalThis as { __govcredPostgresDir?: string }).__govcredPostgresDir;
  if (!dir) return;
  const root = path.resolve(__dirname, '../..');
  await promisify(execFile)(process.execPath, ['--import', './test/support/ts-register.mjs', 'scripts/test-postgres.ts', 'stop', dir], { cwd: root }).catch(() => undefined);
  rmSync(path.dirname(dir), { recursive: true, force: true });
}

export default async function globalTeardown(): Promise<void> {
  await stopPostgres();
  const child = (globalThis as { __govcredChain?: ChildProcess }).__govcredChain;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}
