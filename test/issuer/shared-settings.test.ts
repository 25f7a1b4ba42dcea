import { loadIssuerConfig } from '../../apps/issuer/src/config/issuer.config.js';
import { startIssuer } from '../../apps/issuer/src/issuer-app.js';
import { deployFixture } from '../support/chain.js';
import { freePort } from '../support/free-port.js';
import { postgresTest } from '../support/postgres.js';
import { issuerEnv, tempDir } from './issuer-harness.js';

// Replicas on one database must agree on what they share (apps/issuer/src/settings/shared-settings.ts).
postgresTest('a replica whose shared settings differ from those recorded by the first refuses to start, naming the setting', async (url) => {
  const fixture = await deployFixture();
  const other = await deployFixture();
  const temp = tempDir();
  const port = await freePort();
  const env = { ...(await issuerEnv(fixture, `${temp.dir}/unused.sqlite`)), DATABASE_URL: url, ISSUER_PUBLIC_URL: `http://127.0.0.1:${port}` };
  const first = await startIssuer(loadIssuerConfig({ ...env, ISSUER_PORT: String(port) }));
  try {
    // Another replica with the same settings starts (on its own port, same public URL).
    const second = await startIssuer(loadIssuerConfig({ ...env, ISSUER_PORT: '0' }));
    await second.close();

    const refusals: Array<[Record<string, string>, RegExp]> = [
      [{ ISSUER_PUBLIC_URL: 'http://127.0.0.1:1/' }, /ISSUER_PUBLIC_URL is "http:\/\/127\.0\.0\.1:1" here, but the other replicas of this database use "http:\/\/127\.0\.0\.1:\d+"/],
      [{ ISSUER_PUBLIC_URL: '' }, /ISSUER_PUBLIC_URL is unset here, but the other replicas of this database use/],
      [{ STATUS_REGISTRY: other.statusRegistry }, /STATUS_REGISTRY is "0x[0-9a-f]{40}" here/],
      [{ ISSUER_KMS_SECRET: 'ab'.repeat(32) }, /ISSUER_KMS_SECRET differs from the one the other replicas of this database use/],
    ];
    for (const [change, message] of refusals) {
      const attempt = startIssuer(loadIssuerConfig({ ...env, ISSUER_PORT: '0', ...change }));
      await expect(attempt).rejects.toThrow(message);
    }
    // The secret itself is never named in the message.
    await expect(startIssuer(loadIssuerConfig({ ...env, ISSUER_PORT: '0', ISSUER_KMS_SECRET: 'cd'.repeat(32) }))).rejects.not.toThrow(/cdcdcd/);
    // The first replica serves on.
    expect((await fetch(`http://127.0.0.1:${port}/credential-types`)).status).toBe(200);
  } finally {
    await first.close();
    fixture.provider.destroy();
    other.provider.destroy();
    temp.remove();
  }
});

postgresTest('without ISSUER_PUBLIC_URL a replica starts (with a warning) until one records a public URL', async (url) => {
  const fixture = await deployFixture();
  const temp = tempDir();
  const env = { ...(await issuerEnv(fixture, `${temp.dir}/unused.sqlite`)), DATABASE_URL: url, ISSUER_PORT: '0' };
  try {
    const lone = await startIssuer(loadIssuerConfig(env));
    await lone.close();
    const named = await startIssuer(loadIssuerConfig({ ...env, ISSUER_PUBLIC_URL: 'https://issuer.example.gov.cn' }));
    await named.close();
    await expect(startIssuer(loadIssuerConfig(env))).rejects.toThrow(/ISSUER_PUBLIC_URL is unset here, but the other replicas of this database use "https:\/\/issuer\.example\.gov\.cn"/);
  } finally {
    fixture.provider.destroy();
    temp.remove();
  }
});
