import { createHash } from 'node:crypto';
import pg from 'pg';
import { schemaReference } from '../../libs/credentials/src/index.js';
import { RetentionService } from '../../apps/verifier/src/challenges/retention.service.js';
import { deployFixture } from '../support/chain.js';
import { postgresTest } from '../support/postgres.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, createChallenge, createVerifierAccount, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';

// The verifier's migrations (accounts, ownership, the challenges table) and its conditional statements on a fresh
// PostgreSQL database (see test/support/postgres.ts).
const ID = 'NationalIdCredential';

postgresTest('the verifier runs on PostgreSQL: accounts, owned challenges, single use, purge', async (url) => {
  const f = await deployFixture();
  const offset = await chainClockOffsetMs(f.provider);
  const clock = { shift: 0 };
  const agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 86_400 }]);
  const verifier = await startTestVerifier(f, { DATABASE_URL: url, VERIFIER_PURGE_INTERVAL_MS: '86400000' }, { now: () => new Date(Date.now() + offset + clock.shift) });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await waitForMirrors(verifier, await f.provider.getBlockNumber());
    const { apiKey } = await createVerifierAccount(verifier.url);
    const stored = JSON.stringify((await db.query('SELECT * FROM verifier_accounts')).rows);
    expect(stored).toContain(createHash('sha256').update(apiKey).digest('hex'));
    expect(stored).not.toContain(apiKey.slice(4));

    const holder = new TestHolder();
    const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
    const { jwt } = await agency.issue({ type: ID, holder: holder.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID) });
    const body = { verifiablePresentation: await holder.present([jwt], request.challenge, request.domain), options: { challenge: request.challenge, domain: request.domain, query: request.query } };
    const replies = await Promise.all([1, 2, 3].map(() => post<{ verified: boolean; holder?: string }>(`${verifier.url}/presentations/verify`, body, withKey(apiKey))));
    expect(replies.map((r) => r.body.verified).sort()).toEqual([false, false, true]);
    expect(replies.find((r) => r.body.verified)!.body.holder).toBe(holder.did);
    const row = await db.query('SELECT verifier_id, used_at FROM challenges WHERE challenge = $1', [request.challenge]);
    expect([row.rowCount, row.rows[0].used_at !== null]).toEqual([1, true]);

    clock.shift = 86_401_000; // past the default retention
    expect(await verifier.app.get(RetentionService).purgeNow()).toBeGreaterThanOrEqual(1);
    expect((await db.query('SELECT 1 FROM challenges WHERE challenge = $1', [request.challenge])).rowCount).toBe(0);
  } finally {
    await db.end();
    await verifier.close();
    f.provider.destroy();
  }
});
