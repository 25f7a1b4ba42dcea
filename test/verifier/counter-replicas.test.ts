import pg from 'pg';
import { Wallet } from 'ethers';
import { VerifierRegistryClient, ethrDid } from '../../libs/credentials/src/index.js';
import { CounterRetentionService } from '../../apps/verifier/src/counter/counter-retention.service.js';
import { deployFixture } from '../support/chain.js';
import { postgresTest } from '../support/postgres.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, chainClockOffsetMs, post, startTestVerifier, waitForMirrors } from '../support/verifier.js';

/**
 * The counter page's state on PostgreSQL with two verifier replicas on one database: the migration runs there,
 * a clerk made on one replica signs in on the other, a session opened on one is good on the other, failed sign-ins
 * are counted across replicas (every one of concurrent failures, none lost or colliding), a check made on one is
 * followed on the other, and once past the result retention it is hidden from the history and purged.
 */
const PASSWORD = 'replica counter password';
const ADMIN = { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` };

postgresTest('counter clerks, sessions, throttling and checks are shared by replicas on PostgreSQL', async (url) => {
  const f = await deployFixture();
  const offset = await chainClockOffsetMs(f.provider);
  const employer = Wallet.createRandom();
  await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(employer.address, EMPLOYER_SCOPE);
  // Sessions outlive the retention here, so the history can be read past it.
  const env = { DATABASE_URL: url, VERIFIER_KEY_SECRET: 'a1'.repeat(32), COUNTER_SIGN_IN_MAX_FAILURES: '6', COUNTER_SIGN_IN_MAX_FAILURES_PER_IP: '100', COUNTER_SESSION_TTL_MS: String(3 * 86_400_000) };
  const clock = { shift: 0 };
  const now = () => new Date(Date.now() + offset + clock.shift);
  // One replica first (it runs the migrations), then the second on the same database.
  const one = await startTestVerifier(f, env, { now });
  const two = await startTestVerifier(f, env, { now });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await waitForMirrors(one, await f.provider.getBlockNumber());
    await waitForMirrors(two, await f.provider.getBlockNumber());
    const account = await post<{ id: string }>(`${one.url}/admin/verifiers`, { name: 'Employer', did: ethrDid(f.chainId, employer.address), signingKey: employer.privateKey }, ADMIN);
    expect(account.status).toBe(201);
    expect((await post(`${one.url}/admin/verifiers/${account.body.id}/clerks`, { username: 'replica.clerk', displayName: 'R', password: PASSWORD }, ADMIN)).status).toBe(201);
    // The username is unique across replicas too.
    const again = await post<{ code: string }>(`${two.url}/admin/verifiers/${account.body.id}/clerks`, { username: 'replica.clerk', displayName: 'R', password: PASSWORD }, ADMIN);
    expect([again.status, again.body.code]).toEqual([409, 'clerk_username_taken']);

    const signIn = (base: string, password: string) =>
      fetch(`${base}/counter/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'replica.clerk', password }) });
    const opened = await signIn(two.url, PASSWORD);
    expect(opened.status).toBe(200);
    const cookie = /govcred_counter=[^;]+/.exec(opened.headers.get('set-cookie')!)![0];
    const { csrfToken } = (await opened.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    expect((await fetch(`${one.url}/counter/session`, { headers })).status).toBe(200);

    // A check asked on one replica is followed on the other.
    const check = await fetch(`${one.url}/counter/checks`, { method: 'POST', headers, body: JSON.stringify({ preset: 'over_18' }) });
    const { id } = (await check.json()) as { id: string };
    expect(check.status).toBe(201);
    const followed = await fetch(`${two.url}/counter/checks/${id}`, { headers });
    expect([followed.status, ((await followed.json()) as { status: string }).status]).toEqual([200, 'pending']);
    expect(((await (await fetch(`${two.url}/counter/history`, { headers })).json()) as Array<{ id: string }>).map((e) => e.id)).toEqual([id]);

    // Six concurrent failures, three on each replica: all counted, none lost to a race on the row.
    const failures = await Promise.all([one, two, one, two, one, two].map((replica, i) => signIn(replica.url, `wrong ${i}`)));
    expect(failures.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    const row = await db.query(`SELECT count FROM counter_sign_in_failures WHERE key = 'account:replica.clerk'`);
    expect(row.rows[0].count).toBe(6);
    // At the limit: refused on either replica before the password is looked at.
    for (const replica of [one, two]) {
      const refused = await signIn(replica.url, PASSWORD);
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([429, 'too_many_attempts']);
    }
    // Sessions are stored hashed: the cookie's token is nowhere in the database.
    const sessions = JSON.stringify((await db.query('SELECT * FROM counter_sessions')).rows);
    expect(sessions).not.toContain(cookie.split('=')[1]);

    // Past the result retention (and the request's lifetime): hidden from the history at once, then purged.
    clock.shift = (86_400 + 300) * 1000 + 1000;
    for (const replica of [one, two]) {
      expect(await (await fetch(`${replica.url}/counter/history`, { headers })).json()).toEqual([]);
      expect((await fetch(`${replica.url}/counter/checks/${id}`, { headers })).status).toBe(404);
    }
    await one.app.get(CounterRetentionService).purgeNow();
    expect((await db.query('SELECT id FROM counter_checks')).rowCount).toBe(0);

    // Signing out on one replica ends the session on the other.
    expect((await fetch(`${two.url}/counter/session`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${one.url}/counter/session`, { headers })).status).toBe(401);
  } finally {
    await db.end();
    await two.close();
    await one.close();
    f.provider.destroy();
  }
}, 120_000);
