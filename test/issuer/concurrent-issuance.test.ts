import { DataSource } from 'typeorm';
import { LIST_SIZE } from '../../apps/issuer/src/credentials/status-index-allocator.js';
import { VeramoService } from '../../apps/issuer/src/veramo/veramo.service.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// Many issuances at once go through the group commit: each answer comes after its own commit, indexes stay
// unique, the audit chain stays whole, and an index another replica reserved is never drawn (nor re-signed).
let h: IssuerHarness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h?.close());

const indexOf = (jwt: string) =>
  Number((decodeJwt(jwt).payload.vc as { credentialStatus: Array<{ statusListIndex: string }> }).credentialStatus[0].statusListIndex);

test('concurrent issuances of two agencies: all recorded, unique indexes, one intact audit chain', async () => {
  const police = await h.createAgency(['NationalIdCredential']);
  const university = await h.createAgency(['EducationCredential']);
  const requests = Array.from({ length: 60 }, (_, i) =>
    i % 2 === 0
      ? police.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(i)))
      : university.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(i), CLAIMS.EducationCredential)),
  );
  const answers = await Promise.all(requests);
  expect(answers.map((a) => a.status)).toEqual(Array(60).fill(201));
  for (const agency of [police, university]) {
    const jwts = answers.filter((_, i) => (i % 2 === 0) === (agency === police)).map((a) => a.body.verifiableCredential as string);
    const listed = await agency.client.get('/credentials?limit=1000');
    expect(listed.body.total).toBe(30);
    const indexes = jwts.map(indexOf);
    expect(new Set(indexes).size).toBe(30);
    expect(new Set(listed.body.items.map((r: { statusIndex: number }) => r.statusIndex))).toEqual(new Set(indexes));
  }
  const audit = await h.admin.get('/admin/audit/check');
  expect(audit.body).toMatchObject({ valid: true, problems: [] });
  expect(audit.body.entries).toBeGreaterThanOrEqual(62);
});

test('indexes another replica reserved are never drawn, and every credential is signed exactly once', async () => {
  const agency = await h.createAgency(['NationalIdCredential']);
  const first = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(1000)));
  expect(first.status).toBe(201);
  const dataSource = h.issuer.app.get(DataSource);
  // "Another replica" reserves every even index behind this process's back (after it loaded its own view).
  await dataSource.transaction(async (m) => {
    for (let i = 0; i < LIST_SIZE; i += 2) {
      await m.query("INSERT OR IGNORE INTO status_index (agencyId, statusIndex, batch, reservedAt) VALUES (?, ?, 'other-replica', '')", [agency.id, i]);
    }
  });
  const veramo = h.issuer.app.get(VeramoService);
  // Every format signs through signJws (the format providers' signer).
  const sign = veramo.signJws.bind(veramo);
  let signatures = 0;
  veramo.signJws = (...args) => {
    signatures++;
    return sign(...args);
  };
  try {
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(1001 + i)))));
    expect(answers.map((a) => a.status)).toEqual(Array(150).fill(201));
    expect(signatures).toBe(150);
    // The pool reserved before the other replica's rows may hand out a few even indexes; none after it.
    const indexes = answers.map((a) => indexOf(a.body.verifiableCredential));
    expect(new Set(indexes).size).toBe(150);
    const stolen = (await dataSource.query("SELECT statusIndex FROM status_index WHERE agencyId = ? AND batch = 'other-replica'", [agency.id])) as Array<{ statusIndex: number }>;
    const others = new Set(stolen.map((r) => r.statusIndex));
    expect(indexes.filter((i) => others.has(i))).toEqual([]);
    const listed = await agency.client.get('/credentials?limit=10');
    expect(listed.body.total).toBe(151);
  } finally {
    veramo.signJws = sign;
  }
  expect((await h.admin.get('/admin/audit/check')).body).toMatchObject({ valid: true });
});
