/**
 * Retention of challenges with an injected clock: a used one is kept for VERIFIER_RESULT_RETENTION_SECONDS (a
 * replay is told `challenge_replayed`), then deleted by the purge (idempotent) and by the purge loop on its own.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { schemaReference } from '../../libs/credentials/src/index.js';
import { RetentionService } from '../../apps/verifier/src/challenges/retention.service.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, createChallenge, createVerifierAccount, post, startTestVerifier, waitForMirrors, type ResultBody } from '../support/verifier.js';

const ID = 'NationalIdCredential';
const RETENTION_S = 3600;
const TTL_S = 300;

let f: Fixture;
let agency: TestAgency;
let baseOffsetMs = 0;
const holder = new TestHolder();
const stranger = new TestHolder();

/** A verifier with its own clock (`shift` ms ahead of the chain-aligned time) and SQLite file. */
async function verifierWithClock(env: Record<string, string>) {
  const clock = { shift: 0 };
  const sqlitePath = path.join(mkdtempSync(path.join(tmpdir(), 'govcred-verifier-')), 'verifier.sqlite');
  const verifier = await startTestVerifier(
    f,
    { VERIFIER_SQLITE_PATH: sqlitePath, VERIFIER_RESULT_RETENTION_SECONDS: String(RETENTION_S), CHALLENGE_TTL_SECONDS: String(TTL_S), ...env },
    // Presentations are signed now: the clock moves only after they were verified.
    { now: () => new Date(Date.now() + baseOffsetMs + clock.shift) },
  );
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  const { apiKey } = await createVerifierAccount(verifier.url);
  return { verifier, clock, sqlitePath, apiKey };
}

/** Rows as stored, read straight from the SQLite file (the service's own WAL included). */
function rows(sqlitePath: string): Array<{ challenge: string; used: number }> {
  const db = new Database(sqlitePath, { readonly: true });
  try {
    return db.prepare('SELECT challenge, used_at IS NOT NULL AS used FROM challenges').all() as Array<{ challenge: string; used: number }>;
  } finally {
    db.close();
  }
}

async function answer(verifier: RunningVerifier, request: { challenge: string; domain: string; query?: unknown }, by: TestHolder) {
  const { jwt } = await agency.issue({ type: ID, holder: holder.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID) });
  const vp = await by.present([jwt], request.challenge, request.domain);
  return post<ResultBody>(`${verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } });
}

beforeAll(async () => {
  f = await deployFixture();
  baseOffsetMs = await chainClockOffsetMs(f.provider);
  agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 86_400 }]);
});
afterAll(() => f?.provider.destroy());

test('a used challenge is kept through retention, then purged, idempotently; an open one after expiry and retention', async () => {
  // The loop would purge on its own: here it waits a day, so only purgeNow deletes.
  const { verifier, clock, sqlitePath, apiKey } = await verifierWithClock({ VERIFIER_PURGE_INTERVAL_MS: '86400000' });
  try {
    const completed = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
    expect((await answer(verifier, completed, holder)).body.verified).toBe(true);
    const failed = await createChallenge(verifier.url, apiKey, [{ type: ID }]);
    expect((await answer(verifier, failed, stranger)).body.verified).toBe(false); // holder_mismatch: the challenge stays open
    const unanswered = await createChallenge(verifier.url, apiKey, [{ type: ID }]);
    const codes = async (request: typeof completed) => (await answer(verifier, request, holder)).body.problems.map((p) => p.code);

    clock.shift = (RETENTION_S - 60) * 1000; // within retention: a replay is named as one
    expect(await codes(completed)).toEqual(['challenge_replayed']);
    expect(rows(sqlitePath).map((r) => [r.challenge, r.used])).toEqual(
      expect.arrayContaining([[completed.challenge, 1], [failed.challenge, 0], [unanswered.challenge, 0]]),
    );

    clock.shift = (RETENTION_S + 1) * 1000; // past retention of the used challenge, not of the open ones' expiry
    const retention = verifier.app.get(RetentionService);
    expect(await retention.purgeNow()).toBe(1);
    expect(await retention.purgeNow()).toBe(0);
    expect(await codes(completed)).toEqual(['challenge_unknown']);
    expect(await codes(failed)).toEqual(['challenge_expired']);

    clock.shift = (TTL_S + RETENTION_S + 1) * 1000; // the expired challenges too
    expect(await retention.purgeNow()).toBe(2);
    expect(rows(sqlitePath)).toEqual([]);
  } finally {
    await verifier.close();
  }
});

test('the purge loop deletes on its own, two replicas purging the same database', async () => {
  const first = await verifierWithClock({ VERIFIER_PURGE_INTERVAL_MS: '100' });
  const replica = await startTestVerifier(f, { VERIFIER_SQLITE_PATH: first.sqlitePath, VERIFIER_PURGE_INTERVAL_MS: '100' }, {
    now: () => new Date(Date.now() + baseOffsetMs + first.clock.shift),
  });
  try {
    const request = await createChallenge(first.verifier.url, first.apiKey, [{ type: ID }]);
    expect((await answer(first.verifier, request, holder)).body.verified).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(rows(first.sqlitePath)).toHaveLength(1); // within retention the loop keeps it

    first.clock.shift = (RETENTION_S + 1) * 1000;
    const deadline = Date.now() + 5000;
    while (rows(first.sqlitePath).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(rows(first.sqlitePath)).toEqual([]);
  } finally {
    await replica.close();
    await first.verifier.close();
  }
});
