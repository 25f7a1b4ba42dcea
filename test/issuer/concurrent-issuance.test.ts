import { DataSource } from 'typeorm';
import { StatusIndexAllocator } from '../../apps/issuer/src/credentials/status-index-allocator.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// Many issuances at once go through the group commit: each answer comes after its own commit, indexes stay
// unique, the audit chain stays whole, and an index taken behind this process's back is drawn again.
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

test('an index another replica recorded first is drawn again, and the credential signed anew', async () => {
  const agency = await h.createAgency(['NationalIdCredential']);
  const first = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(1000)));
  expect(first.status).toBe(201);
  const allocator = h.issuer.app.get(StatusIndexAllocator);
  const dataSource = h.issuer.app.get(DataSource);
  // "Another replica" records the next index this process will draw, behind its back.
  const reserve = allocator.reserve.bind(allocator);
  let stolen: number | undefined;
  allocator.reserve = async (agencyId: string) => {
    const index = await reserve(agencyId);
    if (stolen === undefined) {
      stolen = index;
      await dataSource.query(
        "INSERT INTO issued_credential (id, agencyId, type, subjectDid, statusIndex, state, issuedAt, expiresAt, updatedAt) VALUES ('urn:uuid:other-replica', ?, 'NationalIdCredential', 'did:example:x', ?, 'active', '', NULL, '')",
        [agencyId, index],
      );
    }
    return index;
  };
  try {
    const second = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(1001)));
    expect(second.status).toBe(201);
    expect(indexOf(second.body.verifiableCredential)).not.toBe(stolen);
    const listed = await agency.client.get('/credentials?limit=10');
    expect(listed.body.total).toBe(3);
  } finally {
    allocator.reserve = reserve;
  }
  expect((await h.admin.get('/admin/audit/check')).body).toMatchObject({ valid: true });
});
