import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CLAIMS, holderDid, issueRequest } from '../issuer/claims.js';
import { decodeJwt } from '../issuer/jwt.js';
import { startHarness, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';

/** Staff accounts and portal sessions against a real issuer, chain and SQLite file. */

let h: IssuerHarness;
let university: CreatedAgency & { client: Client };
let police: CreatedAgency & { client: Client };
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  // Small limits so throttling shows within a few requests.
  h = await startHarness({ env: { STAFF_SIGN_IN_MAX_FAILURES: '3', STAFF_SIGN_IN_MAX_FAILURES_PER_IP: '8' } });
  university = await h.createAgency(['EducationCredential'], { nameZh: '南京大学', nameEn: 'Nanjing University' });
  police = await h.createAgency(['NationalIdCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing PSB' });
  for (const [agency, prefix] of [[university, 'nju'], [police, 'psb']] as const) {
    for (const role of ['clerk', 'officer', 'auditor']) {
      const res = await h.admin.post(`/admin/agencies/${agency.id}/staff`, { username: `${prefix}.${role}`, displayName: `${prefix} ${role}`, role, password: PASSWORD });
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('passwordHash');
    }
  }
});

afterAll(() => h?.close());

/** A signed-in staff member: a client that sends the session cookie, and the session's CSRF token. */
interface Session {
  cookie: string;
  csrf: string;
  body: any;
  /** With cookie and CSRF token. */
  client: Client;
  /** With the cookie only. */
  cookieOnly: Client;
}

async function signIn(username: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<{ status: number; body: any; session?: Session; setCookie?: string }> {
  const response = await fetch(`${h.issuer.url}/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as any;
  const setCookie = response.headers.get('set-cookie') ?? undefined;
  if (response.status !== 200) return { status: response.status, body, setCookie };
  const cookie = /govcred_staff=([^;]+)/.exec(setCookie!)![0];
  const cookieOnly = h.anonymous.withHeaders({ cookie });
  return { status: 200, body, setCookie, session: { cookie, csrf: body.csrfToken, body, cookieOnly, client: cookieOnly.withHeaders({ 'x-csrf-token': body.csrfToken }) } };
}

async function session(username: string): Promise<Session> {
  const res = await signIn(username);
  expect(res.status).toBe(200);
  return res.session!;
}

async function issued(agency: CreatedAgency & { client: Client }, i: number): Promise<string> {
  const res = await agency.client.post('/credentials/issue', issueRequest(agency.credentialTypes[0], holderDid(i)));
  expect(res.status).toBe(201);
  return decodeJwt(res.body.verifiableCredential).payload.jti as string;
}

test('sign-in sets an HttpOnly SameSite=Strict cookie and answers the member, the agency and a CSRF token', async () => {
  const res = await signIn('nju.clerk');
  expect(res.status).toBe(200);
  expect(res.setCookie).toMatch(/govcred_staff=[A-Za-z0-9_-]{43};/);
  expect(res.setCookie).toMatch(/HttpOnly/i);
  expect(res.setCookie).toMatch(/SameSite=Strict/i);
  expect(res.setCookie).toMatch(/Path=\//);
  expect(res.body).toMatchObject({ staff: { username: 'nju.clerk', role: 'clerk', agencyId: university.id }, agency: { id: university.id, nameZh: '南京大学' } });
  expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const me = await res.session!.cookieOnly.get('/staff/session');
  expect(me.status).toBe(200);
  expect(me.body.csrfToken).toBe(res.body.csrfToken);
});

test.each([
  ['wrong password', 'nju.officer', 'not the password at all'],
  ['unknown user', 'nobody.here', PASSWORD],
])('%s: 401 sign_in_failed, no cookie', async (_name, username, password) => {
  const res = await signIn(username, password);
  expect(res.status).toBe(401);
  expect(res.body.code).toBe('sign_in_failed');
  expect(res.setCookie).toBeUndefined();
});

test.each([
  ['no body', undefined],
  ['a form body', 'username=a&password=b'],
  ['extra fields', { username: 'nju.clerk', password: PASSWORD, agencyId: 'x' }],
  ['a huge password', { username: 'nju.clerk', password: 'x'.repeat(5000) }],
])('hostile sign-in (%s) is a 4xx with a code', async (_name, body) => {
  const response = await fetch(`${h.issuer.url}/staff/session`, {
    method: 'POST',
    headers: { 'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(typeof ((await response.json()) as any).code).toBe('string');
});

test('failed sign-ins are throttled per account (even the right password is refused), counted in the database', async () => {
  await h.admin.post(`/admin/agencies/${university.id}/staff`, { username: 'nju.target', displayName: 'target', role: 'clerk', password: PASSWORD });
  for (let i = 0; i < 3; i++) expect((await signIn('nju.target', `wrong password ${i}`)).status).toBe(401);
  const locked = await signIn('nju.target');
  expect(locked.status).toBe(429);
  expect(locked.body.code).toBe('too_many_attempts');
  expect(locked.body.details.retryAfterSeconds).toBeGreaterThan(0);
  const db = new Database(h.config.ISSUER_SQLITE_PATH, { readonly: true });
  try {
    expect(db.prepare('SELECT "count" FROM "staff_sign_in_failure" WHERE "key" = ?').get('account:nju.target')).toEqual({ count: 3 });
  } finally {
    db.close();
  }
  // Another account is not locked by this one.
  expect((await signIn('nju.auditor')).status).toBe(200);
});

test('failed sign-ins are throttled per client address across accounts', async () => {
  // 8 per address: the failures so far from this address count too; spread over fresh usernames.
  let status = 401;
  for (let i = 0; i < 12 && status !== 429; i++) status = (await signIn(`ghost.${i}`, 'nope nope nope')).status;
  expect(status).toBe(429);
  const res = await signIn('psb.clerk');
  expect(res.status).toBe(429);
  // The per-address window is cleared here so the remaining tests can sign in.
  const db = new Database(h.config.ISSUER_SQLITE_PATH);
  try {
    db.prepare('DELETE FROM "staff_sign_in_failure" WHERE "key" LIKE \'ip:%\'').run();
  } finally {
    db.close();
  }
});

test('state-changing requests need the CSRF token of the session: missing or wrong is 403', async () => {
  const officer = await session('nju.officer');
  const id = await issued(university, 1);
  const missing = await officer.cookieOnly.post('/credentials/status', { credentialId: id, action: 'suspend' });
  expect(missing.status).toBe(403);
  expect(missing.body.code).toBe('csrf_token_invalid');
  const other = await session('nju.officer');
  const wrong = await officer.cookieOnly.withHeaders({ 'x-csrf-token': other.csrf }).post('/credentials/status', { credentialId: id, action: 'suspend' });
  expect(wrong.status).toBe(403);
  expect(wrong.body.code).toBe('csrf_token_invalid');
  const ok = await officer.client.post('/credentials/status', { credentialId: id, action: 'suspend', reason: 'card reported lost' });
  expect(ok.status).toBe(202);
  expect(ok.body).toMatchObject({ credentialId: id, action: 'suspend', state: 'pending' });
  // Reading needs no CSRF token.
  expect((await officer.cookieOnly.get(`/credentials/status/${ok.body.id}`)).status).toBe(200);
});

test('roles: a clerk makes offers but may not revoke; an officer may not make offers; only auditors read the audit log', async () => {
  const clerk = await session('nju.clerk');
  const officer = await session('nju.officer');
  const auditor = await session('nju.auditor');
  const id = await issued(university, 2);
  const offerClaims = CLAIMS.EducationCredential;
  const offer = await clerk.client.post('/oid4vci/offers', { type: 'EducationCredential', claims: offerClaims, txCode: true });
  expect(offer.status).toBe(201);
  expect(offer.body.offerUri).toMatch(/^openid-credential-offer:\/\//);
  expect(offer.body.txCode).toMatch(/^[0-9]+$/);
  const revoke = await clerk.client.post('/credentials/status', { credentialId: id, action: 'revoke' });
  expect(revoke.status).toBe(403);
  expect(revoke.body.code).toBe('role_not_allowed');
  const officerOffer = await officer.client.post('/oid4vci/offers', { type: 'EducationCredential', claims: offerClaims });
  expect(officerOffer.status).toBe(403);
  expect(officerOffer.body.code).toBe('role_not_allowed');
  expect((await clerk.client.get('/agency/audit')).body.code).toBe('role_not_allowed');
  expect((await officer.client.get('/agency/audit')).status).toBe(403);
  // Sessions never reach the API-key-only routes (direct issuance, the admin API).
  const direct = await clerk.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(4)));
  expect(direct.status).toBe(401);
  expect((await clerk.client.get('/admin/agencies')).status).toBe(401);

  // The auditor reads this agency's entries: the offer and sign-ins attributed to the staff members.
  const log = await auditor.client.get('/agency/audit?limit=1000');
  expect(log.status).toBe(200);
  // `data` is the canonical JSON the hash covers.
  const entries = (log.body.entries as Array<{ actor: string; agencyId: string; action: string; data: string }>).map((e) => ({ ...e, data: JSON.parse(e.data) as Record<string, unknown> }));
  expect(entries.every((e) => e.agencyId === university.id)).toBe(true);
  expect(entries).toContainEqual(expect.objectContaining({ action: 'offer.created', actor: `staff:${clerk.body.staff.id}` }));
  expect(entries).toContainEqual(expect.objectContaining({ action: 'staff.signed_in', actor: `staff:${auditor.body.staff.id}` }));
  const suspension = entries.find((e) => e.action === 'status.suspend.requested');
  expect(suspension?.actor).toBe(`staff:${officer.body.staff.id}`);
  expect(suspension?.data.reason).toBe('card reported lost');
  expect(JSON.stringify(entries)).not.toContain('holderName');
  const check = await auditor.client.get('/agency/audit/check');
  expect(check.body).toMatchObject({ valid: true, problems: [] });
  // Who `staff:<id>` is: this agency's members (no secret in the view), for its auditors only.
  const members = await auditor.client.get('/agency/audit/staff');
  expect(members.status).toBe(200);
  const byId = new Map((members.body as Array<{ id: string; agencyId: string; username: string; role: string }>).map((m) => [m.id, m]));
  expect(byId.get(clerk.body.staff.id)).toMatchObject({ username: 'nju.clerk', role: 'clerk' });
  expect([...byId.values()].every((m) => m.agencyId === university.id)).toBe(true);
  expect(JSON.stringify(members.body)).not.toMatch(/password|hash/i);
  expect((await clerk.client.get('/agency/audit/staff')).body.code).toBe('role_not_allowed');
});

test('one agency\'s staff can never act for another agency', async () => {
  const theirs = await issued(police, 5);
  const officer = await session('nju.officer');
  const revoke = await officer.client.post('/credentials/status', { credentialId: theirs, action: 'revoke' });
  expect(revoke.status).toBe(404);
  expect(revoke.body.code).toBe('credential_not_found');
  expect((await officer.client.get(`/credentials/${encodeURIComponent(theirs)}`)).status).toBe(404);
  const list = await officer.client.get(`/credentials?id=${encodeURIComponent(theirs)}`);
  expect(list.body).toEqual({ total: 0, items: [] });
  // A clerk cannot offer a type only the other agency may issue.
  const clerk = await session('nju.clerk');
  const offer = await clerk.client.post('/oid4vci/offers', { type: 'NationalIdCredential', claims: {} });
  expect(offer.status).toBeGreaterThanOrEqual(400);
  expect(offer.status).toBeLessThan(500);
  // A session cookie with another agency's API key acts as the key's agency, never as the member's.
  const mixed = await officer.client.withHeaders({ 'x-api-key': 'gck_not-a-key' }).get('/credentials');
  expect(mixed.status).toBe(401);
  // Their credential is still active.
  expect((await police.client.get(`/credentials/${encodeURIComponent(theirs)}`)).body.state).toBe('active');
});

test('records: search by id, type, state and issuance time', async () => {
  const officer = await session('nju.officer');
  // Issuance times have whole seconds: start a fresh second so earlier credentials fall before the bound.
  await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
  const before = new Date().toISOString();
  const id = await issued(university, 6);
  const byId = await officer.client.get(`/credentials?id=${encodeURIComponent(id)}`);
  expect(byId.body.total).toBe(1);
  expect(byId.body.items[0]).toMatchObject({ id, type: 'EducationCredential', state: 'active' });
  const recent = await officer.client.get(`/credentials?issuedFrom=${encodeURIComponent(before)}&order=desc`);
  expect(recent.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  expect((await officer.client.get(`/credentials?issuedBefore=${encodeURIComponent(before)}&state=suspended`)).body.total).toBe(1);
  for (const bad of ['issuedFrom=yesterday', 'state=gone', 'order=sideways', 'limit=0']) {
    const res = await officer.client.get(`/credentials?${bad}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  }
});

test('bulk offers: one request, per-row offers and errors', async () => {
  const clerk = await session('nju.clerk');
  const good = CLAIMS.EducationCredential;
  const res = await clerk.client.post('/oid4vci/offers/bulk', { type: 'EducationCredential', items: [{ claims: good }, { claims: { ...good, graduationDate: 'soon' } }] });
  expect(res.status).toBe(200);
  expect(res.body.results[0].offer.offerUri).toMatch(/^openid-credential-offer:/);
  expect(res.body.results[0].offer.txCode).toMatch(/^[0-9]+$/);
  expect(res.body.results[1]).toMatchObject({ position: 1, error: { code: 'invalid_claims' } });
  const tooMany = await clerk.client.post('/oid4vci/offers/bulk', { type: 'EducationCredential', items: Array.from({ length: 201 }, () => ({ claims: good })) });
  expect(tooMany.status).toBe(400);
});

test('sign-out ends the session on the server (needs the CSRF token); an expired session is refused and removed', async () => {
  const clerk = await session('nju.clerk');
  const noToken = await fetch(`${h.issuer.url}/staff/session`, { method: 'DELETE', headers: { cookie: clerk.cookie } });
  expect(noToken.status).toBe(403);
  const out = await fetch(`${h.issuer.url}/staff/session`, { method: 'DELETE', headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf } });
  expect(out.status).toBe(204);
  expect(out.headers.get('set-cookie')).toMatch(/govcred_staff=;/);
  // The old cookie, replayed, no longer works.
  expect((await clerk.cookieOnly.get('/staff/session')).status).toBe(401);
  expect((await clerk.cookieOnly.get('/credentials')).status).toBe(401);

  const officer = await session('nju.officer');
  expect((await officer.cookieOnly.get('/credentials')).status).toBe(200);
  // Expire it in the database (as time passing would): refused, then gone.
  const db = new Database(h.config.ISSUER_SQLITE_PATH);
  try {
    db.prepare('UPDATE "staff_session" SET "expiresAt" = ? WHERE "staffId" = ?').run(new Date(Date.now() - 1000).toISOString(), officer.body.staff.id);
  } finally {
    db.close();
  }
  const expired = await officer.cookieOnly.get('/credentials');
  expect(expired.status).toBe(401);
  expect(expired.body.message).toMatch(/expired/);
});

test('the database holds neither passwords nor session tokens in clear', async () => {
  const clerk = await session('psb.clerk');
  const token = /govcred_staff=([^;]+)/.exec(clerk.cookie)![1];
  const file = readFileSync(h.config.ISSUER_SQLITE_PATH);
  const wal = (() => {
    try {
      return readFileSync(`${h.config.ISSUER_SQLITE_PATH}-wal`);
    } catch {
      return Buffer.alloc(0);
    }
  })();
  for (const bytes of [file, wal]) {
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from(token))).toBe(false);
  }
  const db = new Database(h.config.ISSUER_SQLITE_PATH, { readonly: true });
  try {
    const row = db.prepare('SELECT "passwordHash" FROM "staff_member" WHERE "username" = ?').get('psb.clerk') as { passwordHash: string };
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // A per-user salt: two members with the same password have different hashes.
    const other = db.prepare('SELECT "passwordHash" FROM "staff_member" WHERE "username" = ?').get('psb.officer') as { passwordHash: string };
    expect(other.passwordHash).not.toBe(row.passwordHash);
  } finally {
    db.close();
  }
});

test('admin: usernames are unique across agencies, weak passwords and unknown roles are refused', async () => {
  const taken = await h.admin.post(`/admin/agencies/${police.id}/staff`, { username: 'nju.clerk', displayName: 'x', role: 'clerk', password: PASSWORD });
  expect(taken.status).toBe(409);
  expect(taken.body.code).toBe('staff_username_taken');
  for (const body of [
    { username: 'psb.x', displayName: 'x', role: 'clerk', password: 'short' },
    { username: 'psb.y', displayName: 'x', role: 'governor', password: PASSWORD },
    { username: 'Bad Name', displayName: 'x', role: 'clerk', password: PASSWORD },
  ]) {
    const res = await h.admin.post(`/admin/agencies/${police.id}/staff`, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  }
  expect((await h.anonymous.post(`/admin/agencies/${police.id}/staff`, { username: 'psb.z', displayName: 'x', role: 'clerk', password: PASSWORD })).status).toBe(401);
  const list = await h.admin.get(`/admin/agencies/${police.id}/staff`);
  expect(list.body.map((s: { username: string }) => s.username).sort()).toEqual(['psb.auditor', 'psb.clerk', 'psb.officer']);
});
