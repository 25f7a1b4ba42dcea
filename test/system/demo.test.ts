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
  // Over OpenID4VP: the registered name shown, only two claims left, verified with the issuer stopped.
  expect(out).toContain('Registered on chain as: Example Employer');
  expect(out).toContain('Claims disclosed ÷ claims asked: 2 ÷ 2');
  expect(out).toContain('only age_over_18 and the degree level left the wallet');
  // Revoked, then refused by the employer; an unregistered verifier refused by the wallet.
  expect(out).toMatch(/refused: [^\n]*credential_revoked/);
  expect(out).toContain('refused by the wallet: nothing was sent');
  expect(out).toContain('The end');
  expect(code).toBe(0);
}, 180_000);
