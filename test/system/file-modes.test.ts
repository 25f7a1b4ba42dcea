import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { startHarness, tempDir } from '../issuer/issuer-harness.js';
import { deployFixture } from '../support/chain.js';
import { createChallenge, createVerifierAccount, startTestVerifier } from '../support/verifier.js';

// Databases hold agency keys (encrypted) and personal data: owner-only, whatever the umask of the process.
const mode = (file: string) => statSync(file).mode & 0o777;

test('the issuer creates its database folder 0700 and its SQLite files 0600, and narrows files left readable', async () => {
  const temp = tempDir();
  const dir = path.join(temp.dir, 'fresh', 'data');
  const sqlitePath = path.join(dir, 'issuer.sqlite');
  const fixture = await deployFixture();
  const previous = process.umask(0o022); // as a careless shell would leave it
  try {
    const first = await startHarness({ fixture, sqlitePath });
    await first.createAgency(['EducationCredential']);
    expect(existsSync(`${sqlitePath}-wal`)).toBe(true);
    expect([dir, sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`].map(mode)).toEqual([0o700, 0o600, 0o600, 0o600]);
    await first.close();

    // An older version left them world-readable: the next start narrows them.
    for (const file of [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`]) if (existsSync(file)) chmodSync(file, 0o644);
    const second = await startHarness({ fixture, sqlitePath });
    await second.createAgency(['EducationCredential']);
    expect([sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
    await second.close();
  } finally {
    process.umask(previous);
    fixture.provider.destroy();
    temp.remove();
  }
});

test('the verifier creates its SQLite files 0600', async () => {
  const temp = tempDir();
  const sqlitePath = path.join(temp.dir, 'verifier', 'verifier.sqlite');
  const fixture = await deployFixture();
  const previous = process.umask(0o022);
  const verifier = await startTestVerifier(fixture, { VERIFIER_SQLITE_PATH: sqlitePath });
  try {
    const { apiKey } = await createVerifierAccount(verifier.url);
    await createChallenge(verifier.url, apiKey);
    expect([path.dirname(sqlitePath), sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`].map(mode)).toEqual([0o700, 0o600, 0o600, 0o600]);
  } finally {
    process.umask(previous);
    await verifier.close();
    fixture.provider.destroy();
    temp.remove();
  }
});
