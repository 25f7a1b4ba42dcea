import { keccak256, toUtf8Bytes } from 'ethers';
import { GovcredError, receiveCredential } from '../../libs/credentials/src/index.js';
import { didJwtHolder } from '../support/oid4vci-fixtures.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { decodeJwt } from './jwt.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { chainClockOffsetMs, get, post, startTestVerifier, waitForMirrors, type ResultBody } from '../support/verifier.js';

// Property titles end to end: issuance with four status entries, transfer (the old certificate superseded in the
// same step), encumbrance, and the verifier answering it all — certificate numbers included — from the chain
// alone, the issuer stopped.
let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let verifier: RunningVerifier;
let issuerClosed = false;

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['PropertyCredential', 'EducationCredential'], { nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registry' });
  const offset = await chainClockOffsetMs(h.fixture.provider);
  verifier = await startTestVerifier(h.fixture, {}, { now: () => new Date(Date.now() + offset) });
});

afterAll(async () => {
  await verifier?.close();
  if (issuerClosed) h.fixture.provider.destroy();
  else await h?.close();
});

const vcOf = (jwt: string) => decodeJwt(jwt).payload as { jti: string; sub: string; vc: Record<string, any> };
const newOwner = (i: number) => issueRequest('PropertyCredential', holderDid(i), { ...CLAIMS.PropertyCredential, certificateNumber: `苏(2025)南京市不动产权第${String(i).padStart(7, "0")}号`, coOwners: [] });

async function issue(type: string, i: number): Promise<{ id: string; jwt: string; number: string }> {
  const res = await agency.client.post('/credentials/issue', issueRequest(type, holderDid(i)));
  expect(res.status).toBe(201);
  return { id: vcOf(res.body.verifiableCredential).jti, jwt: res.body.verifiableCredential, number: res.body.certificateNumber };
}

async function anchored(changeId: string): Promise<void> {
  await waitFor(async () => (await agency.client.get(`/credentials/status/${changeId}`)).body.state === 'anchored');
}

async function verify(jwt: string): Promise<ResultBody & { credentials: Array<{ encumbered?: true }> }> {
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  return (await post<ResultBody & { credentials: Array<{ encumbered?: true }> }>(`${verifier.url}/credentials/verify`, { verifiableCredential: jwt })).body;
}

// Filled by the tests in order, checked with the issuer stopped at the end.
const numbers: Record<string, string> = {};

test('a property title carries four status entries, a title record and a certificate number; other types keep two', async () => {
  expect(agency.statusLists).toEqual({ revocation: 1, suspension: 2, superseded: 3, encumbered: 4 });
  const title = await issue('PropertyCredential', 1);
  const { vc } = vcOf(title.jwt);
  expect(vc.credentialStatus.map((e: { statusPurpose: string; statusListId: string }) => [e.statusPurpose, e.statusListId])).toEqual([
    ['revocation', '1'],
    ['suspension', '2'],
    ['superseded', '3'],
    ['encumbered', '4'],
  ]);
  expect(vc.titleRecord).toEqual({ titleId: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  expect(title.number).toMatch(/^GC-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{2}$/);
  const record = await agency.client.get(`/credentials/${encodeURIComponent(title.id)}`);
  expect(record.body).toMatchObject({ certificateNumber: title.number, titleId: vc.titleRecord.titleId, credentialHash: keccak256(toUtf8Bytes(title.jwt)) });

  const diploma = await issue('EducationCredential', 2);
  const diplomaVc = vcOf(diploma.jwt).vc;
  expect(diplomaVc.credentialStatus.map((e: { statusPurpose: string }) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
  expect(Object.keys(diplomaVc)).not.toContain('titleRecord');
  expect(diploma.number).not.toBe(title.number);
  numbers.diploma = diploma.number;
  expect((await verify(title.jwt)).verified).toBe(true);
  expect((await verify(diploma.jwt)).verified).toBe(true);
});

test('a transfer supersedes the old certificate and issues the new one, linked by hash; superseded is final', async () => {
  const first = await issue('PropertyCredential', 10);
  const key = { 'idempotency-key': `transfer-${first.id}` };
  const res = await agency.client.withHeaders(key).post(`/credentials/${encodeURIComponent(first.id)}/transfer`, newOwner(11));
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ supersededCredentialId: first.id, certificateNumber: expect.stringMatching(/^GC-/) });
  // A retry with the same key gets the same answer: no second certificate.
  const retry = await agency.client.withHeaders(key).post(`/credentials/${encodeURIComponent(first.id)}/transfer`, newOwner(11));
  expect([retry.status, retry.body.verifiableCredential]).toEqual([201, res.body.verifiableCredential]);

  const second = vcOf(res.body.verifiableCredential);
  expect(second.sub).toBe(holderDid(11));
  expect(second.vc.titleRecord).toEqual({ titleId: vcOf(first.jwt).vc.titleRecord.titleId, predecessor: keccak256(toUtf8Bytes(first.jwt)) });
  const old = await agency.client.get(`/credentials/${encodeURIComponent(first.id)}`);
  expect(old.body).toMatchObject({ state: 'superseded', successorId: second.jti });
  expect(old.body.statusChanges.map((c: { action: string }) => c.action)).toEqual(['supersede']);

  // Superseded is final, with stable codes; the title cannot be transferred twice from the old certificate.
  for (const [action, code] of [['reinstate', 'supersession_is_final'], ['release', 'supersession_is_final'], ['suspend', 'credential_superseded'], ['encumber', 'credential_superseded'], ['revoke', 'credential_superseded']]) {
    const refused = await agency.client.post('/credentials/status', { credentialId: first.id, action });
    expect([refused.status, refused.body.code]).toEqual([409, code]);
  }
  const again = await agency.client.post(`/credentials/${encodeURIComponent(first.id)}/transfer`, newOwner(12));
  expect([again.status, again.body.code]).toEqual([409, 'credential_superseded']);

  await anchored(res.body.statusChangeId);
  const oldResult = await verify(first.jwt);
  expect(oldResult.verified).toBe(false);
  expect(oldResult.problems.map((p) => p.code)).toEqual(['credential_superseded']);
  expect((await verify(res.body.verifiableCredential)).verified).toBe(true);

  // A second transfer: the title's history then has two.
  const third = await agency.client.post(`/credentials/${encodeURIComponent(second.jti)}/transfer`, newOwner(12));
  expect(third.status).toBe(201);
  await anchored(third.body.statusChangeId);
  Object.assign(numbers, { first: first.number, second: res.body.certificateNumber, third: third.body.certificateNumber });
});

test('transfers are refused with codes: other types, unknown credentials, another type in the body', async () => {
  const diploma = await issue('EducationCredential', 20);
  const cases: Array<[string, unknown, number, string]> = [
    [diploma.id, issueRequest('EducationCredential', holderDid(21)), 409, 'not_a_title'],
    ['urn:uuid:00000000-0000-0000-0000-000000000000', newOwner(21), 404, 'credential_not_found'],
    [(await issue('PropertyCredential', 22)).id, issueRequest('EducationCredential', holderDid(21)), 400, 'invalid_request'],
    [diploma.id, { credential: { type: 'PropertyCredential' } }, 400, 'invalid_request'],
  ];
  for (const [id, body, status, code] of cases) {
    const res = await agency.client.post(`/credentials/${encodeURIComponent(id)}/transfer`, body);
    expect([res.status, res.body.code]).toEqual([status, code]);
  }
  const encumberDiploma = await agency.client.post('/credentials/status', { credentialId: diploma.id, action: 'encumber' });
  expect([encumberDiploma.status, encumberDiploma.body.code]).toEqual([409, 'not_a_title']);
  const revoked = await agency.client.post('/credentials/status', { credentialId: diploma.id, action: 'revoke' });
  await anchored(revoked.body.id);
  numbers.revoked = diploma.number;
});

test("a transfer by offer: nothing changes until the new owner's wallet redeems it; then the title moves to the DID it proved", async () => {
  const title = await issue('PropertyCredential', 40);
  const diploma = await issue('EducationCredential', 41);
  const claims = { ...CLAIMS.PropertyCredential, certificateNumber: '苏(2026)南京市不动产权第0000041号', coOwners: [] };
  const offer = (body: Record<string, unknown>) => agency.client.post('/oid4vci/offers', { type: 'PropertyCredential', claims, ...body });
  // Refused when asked: the SD-JWT format (a continued title is a JWT VC), another type's certificate, an unknown
  // one, a refill and a transfer at once.
  const refusals: Array<[Record<string, unknown>, number, string]> = [
    [{ transferOf: title.id, format: 'dc+sd-jwt' }, 400, 'invalid_request'],
    [{ transferOf: diploma.id }, 409, 'not_a_title'],
    [{ transferOf: 'urn:uuid:00000000-0000-0000-0000-000000000000' }, 404, 'credential_not_found'],
    [{ transferOf: title.id, copiesOf: title.id, format: 'dc+sd-jwt' }, 400, 'invalid_request'],
  ];
  for (const [body, status, code] of refusals) {
    const res = await offer(body);
    expect([JSON.stringify(body), res.status, res.body.code]).toEqual([JSON.stringify(body), status, code]);
  }

  // JSON null is no transfer and no refill (as every optional member): an ordinary offer, whose redemption moves no title.
  const superseded = async () => (await agency.client.get('/credentials?state=superseded&limit=1000')).body.total as number;
  const before = await superseded();
  expect((await offer({ transferOf: null, copiesOf: null })).status).toBe(201);
  const plain = await offer({ transferOf: null });
  expect(plain.status).toBe(201);
  const someone = didJwtHolder();
  const ordinary = await receiveCredential({ offer: plain.body.offerUri, holderDid: someone.did, signProofJwt: someone.sign, allowHttp: true });
  expect(vcOf(ordinary.credential).vc.titleRecord).toEqual({ titleId: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  expect(await superseded()).toBe(before);

  const made = await offer({ transferOf: title.id, txCode: true });
  expect(made.status).toBe(201);
  // Another offer for the same title may be made; only one can ever be redeemed.
  const rival = await offer({ transferOf: title.id });
  expect(rival.status).toBe(201);
  expect((await agency.client.get(`/credentials/${encodeURIComponent(title.id)}`)).body.state).toBe('active');

  const buyer = didJwtHolder();
  const received = await receiveCredential({ offer: made.body.offerUri, txCode: made.body.txCode, holderDid: buyer.did, signProofJwt: buyer.sign, allowHttp: true });
  const successor = vcOf(received.credential);
  expect([received.format, successor.sub, successor.vc.credentialSubject.certificateNumber]).toEqual(['jwt_vc_json', buyer.did, claims.certificateNumber]);
  expect(successor.vc.titleRecord).toEqual({ titleId: vcOf(title.jwt).vc.titleRecord.titleId, predecessor: keccak256(toUtf8Bytes(title.jwt)) });
  const old = await agency.client.get(`/credentials/${encodeURIComponent(title.id)}`);
  expect(old.body).toMatchObject({ state: 'superseded', successorId: successor.jti });
  await anchored(old.body.statusChanges[0].id);
  expect((await verify(title.jwt)).problems.map((p) => p.code)).toEqual(['credential_superseded']);
  expect((await verify(received.credential)).verified).toBe(true);

  // The rival offer is refused when redeemed (the title has moved), and no new one is made for the old certificate.
  const other = didJwtHolder();
  const refused = await receiveCredential({ offer: rival.body.offerUri, holderDid: other.did, signProofJwt: other.sign, allowHttp: true }).then(
    () => undefined,
    (e: unknown) => e as GovcredError,
  );
  expect([refused?.code, refused?.details?.error]).toEqual(['credential_rejected', 'credential_request_denied']);
  const late = await offer({ transferOf: title.id });
  expect([late.status, late.body.code]).toEqual([409, 'credential_superseded']);
  // The offers' audit entries name the certificate they transfer (no claims).
  const { entries } = (await agency.client.get('/agency/audit?limit=1000')).body as { entries: Array<{ action: string; data: string }> };
  const offers = entries.filter((e) => e.action === 'offer.created' && JSON.parse(e.data).transferOf === title.id);
  expect(offers).toHaveLength(2);
  for (const entry of offers) expect(entry.data).not.toContain('北京东路');
});

test('encumber and release round-trip on chain and a bank sees the mortgage; a mortgaged title is not transferred', async () => {
  const title = await issue('PropertyCredential', 30);
  const encumber = await agency.client.post('/credentials/status', { credentialId: title.id, action: 'encumber' });
  expect(encumber.status).toBe(202);
  expect(encumber.body).toMatchObject({ listId: 4, operation: 0 });
  const repeat = await agency.client.post('/credentials/status', { credentialId: title.id, action: 'encumber' });
  expect([repeat.status, repeat.body.id]).toEqual([200, encumber.body.id]);
  await anchored(encumber.body.id);
  const mortgaged = await verify(title.jwt);
  expect([mortgaged.verified, mortgaged.credentials[0].encumbered]).toEqual([true, true]);
  const transfer = await agency.client.post(`/credentials/${encodeURIComponent(title.id)}/transfer`, newOwner(31));
  expect([transfer.status, transfer.body.code]).toEqual([409, 'credential_encumbered']);

  const release = await agency.client.post('/credentials/status', { credentialId: title.id, action: 'release' });
  expect(release.status).toBe(202);
  await anchored(release.body.id);
  const released = await verify(title.jwt);
  expect(released.verified).toBe(true);
  expect(released.credentials[0].encumbered).toBeUndefined();
  numbers.released = title.number;

  const stillMortgaged = await issue('PropertyCredential', 32);
  await anchored((await agency.client.post('/credentials/status', { credentialId: stillMortgaged.id, action: 'encumber' })).body.id);
  numbers.encumbered = stillMortgaged.number;

  // The records are searched by the title states too (the portal's filter); an unknown state is a 400.
  const mortgagedNow = await agency.client.get('/credentials?state=encumbered&limit=1000');
  expect(mortgagedNow.body.items.map((c: { id: string }) => c.id)).toEqual([stillMortgaged.id]);
  const transferred = await agency.client.get('/credentials?state=superseded&limit=1000');
  expect(transferred.status).toBe(200);
  expect(transferred.body.items.length).toBeGreaterThan(0);
  expect(transferred.body.items.every((c: { state: string; successorId: string | null }) => c.state === 'superseded' && c.successorId !== null)).toBe(true);
  const unknown = await agency.client.get('/credentials?state=mortgaged');
  expect([unknown.status, unknown.body.code]).toEqual([400, 'invalid_request']);

  // The printed certificate number finds its record, typed loosely (lower case, spaces); a typo is caught by the
  // check characters; another agency's number finds nothing here.
  const byNumber = (number: string) => agency.client.get(`/credentials?certificateNumber=${encodeURIComponent(number)}`);
  const found = await byNumber(stillMortgaged.number.toLowerCase().replace(/-/g, ' '));
  expect([found.status, found.body.items.map((c: { id: string }) => c.id)]).toEqual([200, [stillMortgaged.id]]);
  const last = stillMortgaged.number.at(-1)!;
  const typo = await byNumber(`${stillMortgaged.number.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`);
  expect([typo.status, typo.body.code]).toEqual([400, 'certificate_number_invalid']);
  const elsewhere = await h.createAgency(['PropertyCredential'], { nameZh: '另一登记中心', nameEn: 'Another registry' });
  const theirs = await elsewhere.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(33)));
  expect((await byNumber(theirs.body.certificateNumber)).body.total).toBe(0);
});

test('GET /certificates/:number answers from the chain alone, the issuer stopped; typos are caught', async () => {
  await h.issuer.close();
  issuerClosed = true;
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  const lookup = async (number: string) => get<Record<string, any>>(`${verifier.url}/certificates/${encodeURIComponent(number)}`);
  const expected: Array<[string, string, string]> = [
    ['first', 'superseded', 'PropertyCredential'],
    ['second', 'superseded', 'PropertyCredential'],
    ['third', 'valid', 'PropertyCredential'],
    ['encumbered', 'encumbered', 'PropertyCredential'],
    ['released', 'valid', 'PropertyCredential'],
    ['revoked', 'revoked', 'EducationCredential'],
    ['diploma', 'valid', 'EducationCredential'],
  ];
  for (const [name, state, type] of expected) {
    const res = await lookup(numbers[name]);
    expect([name, res.status, res.body.state, res.body.type, res.body.agency]).toEqual([name, 200, state, type, { did: agency.did }]);
    expect(res.body.accreditation).toBe('accredited');
  }
  // The title's history from any of its certificates: two transfers, dates and the agency, no owners.
  for (const name of ['first', 'second', 'third']) {
    const { body } = await lookup(numbers[name]);
    expect(body.titleHistory).toEqual([
      { transferredAt: expect.any(String), agency: agency.did },
      { transferredAt: expect.any(String), agency: agency.did },
    ]);
    expect(Date.parse(body.titleHistory[0].transferredAt)).toBeLessThanOrEqual(Date.parse(body.titleHistory[1].transferredAt));
    expect(JSON.stringify(body)).not.toMatch(/holder|subject|0x0{30,}|王芳|不动产权/);
  }
  expect((await lookup(numbers.diploma)).body.titleHistory).toBeUndefined();
  expect((await lookup(numbers.released)).body.titleHistory).toEqual([]);

  // Typed loosely it still reads; one wrong character or a swap is refused.
  expect((await lookup(numbers.third.toLowerCase().replace(/-/g, ' '))).body.state).toBe('valid');
  const body = numbers.third.replace(/-/g, '').slice(2);
  const replaced = body[5] === 'Z' ? 'Y' : 'Z';
  const typos = [`GC${body.slice(0, 5)}${replaced}${body.slice(6)}`, `GC${body.slice(0, 8)}${body[9]}${body[8]}${body.slice(10)}`].filter((t) => t !== `GC${body}`);
  for (const typo of [...typos, 'GC-12345', 'hello', `GC-${'0'.repeat(17)}`]) {
    const res = await lookup(typo);
    expect([typo, res.status, res.body.code]).toEqual([typo, 400, 'certificate_number_invalid']);
  }
});
