import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run demo` from the build (npm test builds first): the whole story in real processes — chain, issuer and
 * verifier services, the wallet program — must run to its end.
 */
test('the demo tells the whole story to the end', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/scripts/demo.js')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
  expect(out).toContain('The verifier accepted your presentation.');
  expect(out).toContain('credential_revoked');
  expect(out).toContain('The end');
  expect(code).toBe(0);
}, 180_000);
