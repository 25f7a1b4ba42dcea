/**
 * Upgrading a verifier whose database still has presentation requests: the migration turns the table into the
 * challenges table (query and stored results dropped), and a challenge handed out before the upgrade still works
 * once, for the account that owned it.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { schemaReference } from '../../libs/credentials/src/index.js';
import { VerifierAccounts1764500000000 } from '../../apps/verifier/src/accounts/migrations/1764500000000-verifier-accounts.js';
import { CreatePresentationRequests1732170000000 } from '../../apps/verifier/src/challenges/migrations/1732170000000-create-presentation-requests.js';
import { Oid4vp1765000000000 } from '../../apps/verifier/src/oid4vp/migrations/1765000000000-oid4vp.js';
import { deployFixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, post, startTestVerifier, waitForMirrors, withKey, type ResultBody } from '../support/verifier.js';

const ID = 'NationalIdCredential';

test('a challenge of a presentation request made before the upgrade is used once after it, by its owner', async () => {
  const sqlitePath = path.join(mkdtempSync(path.join(tmpdir(), 'govcred-verifier-')), 'verifier.sqlite');
  // The schema as it was before the challenges migration.
  const before = new DataSource({
    type: 'better-sqlite3',
    database: sqlitePath,
    migrations: [CreatePresentationRequests1732170000000, VerifierAccounts1764500000000, Oid4vp1765000000000],
    migrationsTableName: 'verifier_migrations',
  });
  await before.initialize();
  await before.runMigrations();
  await before.destroy();

  const f = await deployFixture();
  const offset = await chainClockOffsetMs(f.provider);
  const agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 86_400 }]);
  // An account and two requests as the old service left them: one open, one used with its stored result.
  const apiKey = `gvk_${'k'.repeat(43)}`;
  const now = Date.now() + offset;
  const old = new Database(sqlitePath);
  try {
    old.prepare('INSERT INTO verifier_accounts (id, name_zh, name_en, did, api_key_hash, created_at) VALUES (?, ?, ?, NULL, ?, ?)').run(
      'acc-1', '银行', 'Bank', createHash('sha256').update(apiKey).digest('hex'), now,
    );
    const insert = old.prepare(
      'INSERT INTO presentation_requests (id, challenge, domain, query, created_at, expires_at, used_at, result, verifier_id, result_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('req-open', 'open-challenge', 'bank.example', '{"credentials":[{"type":"NationalIdCredential"}]}', now, now + 300_000, null, null, 'acc-1', null);
    insert.run('req-used', 'used-challenge', 'bank.example', '{"credentials":[]}', now, now + 300_000, now, '{"verified":true}', 'acc-1', now);
  } finally {
    old.close();
  }

  let verifier: Awaited<ReturnType<typeof startTestVerifier>> | undefined;
  try {
    verifier = await startTestVerifier(f, { VERIFIER_SQLITE_PATH: sqlitePath }, { now: () => new Date(Date.now() + offset) });
    const db = new Database(sqlitePath, { readonly: true });
    try {
      expect(db.prepare('SELECT name FROM sqlite_master WHERE name = ?').get('presentation_requests')).toBeUndefined();
      const columns = (db.prepare('PRAGMA table_info(challenges)').all() as Array<{ name: string }>).map((c) => c.name).sort();
      expect(columns).toEqual(['challenge', 'created_at', 'domain', 'expires_at', 'id', 'used_at', 'verifier_id']);
      expect((db.prepare('SELECT id FROM challenges ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id)).toEqual(['req-open', 'req-used']);
    } finally {
      db.close();
    }
    await waitForMirrors(verifier, await f.provider.getBlockNumber());
    const holder = new TestHolder();
    const { jwt } = await agency.issue({ type: ID, holder: holder.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID) });
    const body = { verifiablePresentation: await holder.present([jwt], 'open-challenge', 'bank.example'), options: { challenge: 'open-challenge', domain: 'bank.example' } };
    const first = await post<ResultBody>(`${verifier.url}/presentations/verify`, body, withKey(apiKey));
    expect([first.body.verified, first.body.problems]).toEqual([true, []]);
    const again = await post<ResultBody>(`${verifier.url}/presentations/verify`, body, withKey(apiKey));
    expect(again.body.problems.map((p) => p.code)).toEqual(['challenge_replayed']);
    // The one used before the upgrade stays used.
    const used = { ...body, verifiablePresentation: await holder.present([jwt], 'used-challenge', 'bank.example'), options: { challenge: 'used-challenge', domain: 'bank.example' } };
    expect((await post<ResultBody>(`${verifier.url}/presentations/verify`, used, withKey(apiKey))).body.problems.map((p) => p.code)).toEqual(['challenge_replayed']);
  } finally {
    await verifier?.close();
    f.provider.destroy();
  }
});
