/**
 * Retention of presentation results (they hold disclosed personal data) with an injected clock: never shown
 * past VERIFIER_RESULT_RETENTION_SECONDS even before a purge ran, then deleted from the database by the purge
 * (idempotent), and by the purge loop on its own.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { schemaReference } from '../../libs/credentials/src/index.js';
import { RetentionService } from '../../apps/verifier/src/presentation-requests/retention.service.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, createRequest, createVerifierAccount, get, post, startTestVerifier, waitForMirrors, withKey, type ResultBody } from '../support/verifier.js';

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
function rows(sqlitePath: string): Array<{ id: string; result: string | null }> {
  const db = new Database(sqlitePath, { readonly: true });
  try {
    return db.prepare('SELECT id, result FROM presentation_requests').all() as Array<{ id: string; result: string | null }>;
  } finally {
    db.close();
  }
}

async function answer(verifier: RunningVerifier, request: { challenge: string; domain: string }, by: TestHolder) {
  const { jwt } = await agency.issue({ type: ID, holder: holder.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID) });
  const vp = await by.present([jwt], request.challenge, request.domain);
  return post<ResultBody>(`${verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain } });
}

beforeAll(async () => {
  f = await deployFixture();
  baseOffsetMs = await chainClockOffsetMs(f.provider);
  agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 86_400 }]);
});
afterAll(() => f?.provider.destroy());

test('past retention a result is never shown, even before the purge; the purge then deletes it, idempotently', async () => {
  // The loop would purge on its own: here it waits a day, so only reads stand between the data and the caller.
  const { verifier, clock, sqlitePath, apiKey } = await verifierWithClock({ VERIFIER_PURGE_INTERVAL_MS: '86400000' });
  try {
    const completed = await createRequest(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
    expect((await answer(verifier, completed, holder)).body.verified).toBe(true);
    const failed = await createRequest(verifier.url, apiKey, [{ type: ID }]);
    expect((await answer(verifier, failed, stranger)).body.verified).toBe(false); // holder_mismatch: kept as an attempt
    const unanswered = await createRequest(verifier.url, apiKey, [{ type: ID }]);
    const read = (id: string, key?: string) => get<{ state?: string; result?: ResultBody; code?: string }>(`${verifier.url}/presentation-requests/${id}`, key ? withKey(key) : {});

    clock.shift = (RETENTION_S - 60) * 1000; // within retention: the owner still reads both results
    expect((await read(completed.id, apiKey)).body.result?.verified).toBe(true);
    expect((await read(failed.id, apiKey)).body).toMatchObject({ state: 'expired', result: { verified: false } });

    clock.shift = (RETENTION_S + 1) * 1000; // past retention of both results, not yet of the failed request's expiry
    for (const key of [apiKey, undefined]) expect([(await read(completed.id, key)).status, (await read(completed.id, key)).body.code]).toEqual([404, 'not_found']);
    const open = await read(failed.id, apiKey);
    expect([open.status, open.body.state, open.body.result]).toEqual([200, 'expired', undefined]);
    expect(rows(sqlitePath)).toHaveLength(3); // hidden, though still on disk: no purge ran

    const retention = verifier.app.get(RetentionService);
    expect(await retention.purgeNow()).toBe(1); // the completed request
    expect(await retention.purgeNow()).toBe(0);
    expect(rows(sqlitePath).map((r) => [r.id, r.result])).toEqual(expect.arrayContaining([[failed.id, null], [unanswered.id, null]]));

    clock.shift = (TTL_S + RETENTION_S + 1) * 1000; // the expired requests too
    for (const id of [failed.id, unanswered.id]) expect((await read(id)).status).toBe(404);
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
    const request = await createRequest(first.verifier.url, first.apiKey, [{ type: ID }]);
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
