import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { verifyCredential } from 'did-jwt-vc';
import { decodeJwt } from './jwt.js';
import { createDidResolver, ethrDid, TrustRegistryClient } from '../../libs/credentials/src/index.js';
import { schemaReference } from '../../libs/credentials/src/catalog/index.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import type { Client } from './issuer-harness.js';

let h: IssuerHarness;
let police: CreatedAgency & { client: Client };
let university: CreatedAgency & { client: Client };
let land: CreatedAgency & { client: Client };

beforeAll(async () => {
  h = await startHarness();
  police = await h.createAgency(['NationalIdCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing Public Security Bureau' });
  university = await h.createAgency(['EducationCredential'], { nameZh: '南京大学', nameEn: 'Nanjing University' });
  land = await h.createAgency(['PropertyCredential'], { nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registration Center' });
});

afterAll(() => h?.close());

/** A governance owner address for agency bodies that are refused before the chain (no key needed). */
const OWNER = '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4';

describe('agencies', () => {
  test('an agency gets a did:ethr on the configured chain, its lists on chain and its accreditation', async () => {
    expect(police.did).toBe(ethrDid(31337, police.identityAddress));
    expect(police.apiKey).toMatch(/^gck_[A-Za-z0-9_-]{43}$/);
    expect(police.accreditation.submitted).toBe(true);
    const trust = new TrustRegistryClient(h.fixture.trustRegistry, h.fixture.provider);
    const now = Math.floor(Date.now() / 1000) + 5;
    expect(await trust.isAccredited(police.identityAddress, 'NationalIdCredential', now)).toBe(true);
    expect(await trust.isAccredited(police.identityAddress, 'EducationCredential', now)).toBe(false);
    const listed = await h.admin.get('/admin/agencies');
    expect(listed.status).toBe(200);
    expect(listed.body.map((a: { did: string }) => a.did)).toEqual([police.did, university.did, land.did]);
    expect(JSON.stringify(listed.body)).not.toContain('apiKey');
  });

  test('the admin API needs the admin token', async () => {
    for (const client of [h.anonymous, h.anonymous.withHeaders({ authorization: 'Bearer wrong-token-0123456789' }), police.client]) {
      const res = await client.post('/admin/agencies', { nameZh: '某局', nameEn: 'Some bureau', credentialTypes: ['NationalIdCredential'] });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  test.each([
    ['an unknown credential type', { nameZh: '某局', nameEn: 'x', credentialTypes: ['PassportCredential'], ownerAddress: OWNER }, 'unknown_credential_type'],
    ['no owner address', { nameZh: '某局', nameEn: 'x', credentialTypes: ['NationalIdCredential'] }, 'invalid_request'],
    ['a malformed owner address', { nameZh: '某局', nameEn: 'x', credentialTypes: ['NationalIdCredential'], ownerAddress: '0x1234' }, 'invalid_request'],
    ['the zero address as owner', { nameZh: '某局', nameEn: 'x', credentialTypes: ['NationalIdCredential'], ownerAddress: `0x${'0'.repeat(40)}` }, 'invalid_request'],
    ['no types', { nameZh: '某局', nameEn: 'x', credentialTypes: [] }, 'invalid_request'],
    ['a missing name', { nameEn: 'x', credentialTypes: ['NationalIdCredential'] }, 'invalid_request'],
    ['an extra field', { nameZh: '某局', nameEn: 'x', credentialTypes: ['NationalIdCredential'], admin: true }, 'invalid_request'],
    ['an array body', [], 'invalid_request'],
  ])('agency creation with %s is refused', async (_name, body, code) => {
    const res = await h.admin.post('/admin/agencies', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  test('an unknown agency id is a 404 with a code', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-an-id']) {
      const res = await h.admin.post(`/admin/agencies/${id}/rotate-key`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('agency_not_found');
    }
  });
});

describe('issuance', () => {
  const resolver = () => createDidResolver({ chainId: 31337, rpcUrl: h.config.CHAIN_RPC_URL, didRegistry: h.config.DID_REGISTRY });

  test.each([
    ['NationalIdCredential', () => police],
    ['EducationCredential', () => university],
    ['PropertyCredential', () => land],
  ])('%s issues and its JWT verifies with did-jwt-vc and ethr-did-resolver', async (type, agency) => {
    const subject = holderDid(1);
    const res = await agency().client.post('/credentials/issue', issueRequest(type, subject));
    expect(res.status).toBe(201);
    const jwt: string = res.body.verifiableCredential;
    expect(decodeJwt(jwt).header.alg).toBe('ES256K');
    const verified = await verifyCredential(jwt, resolver());
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe(agency().did);
    const vc = verified.verifiableCredential;
    expect(vc.type).toEqual(['VerifiableCredential', type]);
    expect(vc.credentialSubject).toEqual({ id: subject, ...CLAIMS[type] });
    expect(vc.credentialSchema).toEqual(schemaReference(type));
    expect(vc.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const status = vc.credentialStatus as unknown as Array<Record<string, unknown>>;
    // Property titles also carry their superseded and encumbered entries (see transfer.test.ts).
    expect(status.map((s) => [s.statusPurpose, s.statusListId])).toEqual([
      ['revocation', '1'],
      ['suspension', '2'],
      ...(type === 'PropertyCredential' ? [['superseded', '3'], ['encumbered', '4']] : []),
    ]);
    expect(new Set(status.map((s) => s.statusListIndex)).size).toBe(1);
    expect(status[0].statusRegistry).toBe(h.fixture.statusRegistry);
    if (type === 'NationalIdCredential') expect(vc.expirationDate).toMatch(/^2035-06-01T1[56]:/);
    // The record keeps no claims.
    const record = await agency().client.get(`/credentials/${encodeURIComponent(vc.id!)}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ id: vc.id, type, subjectDid: subject, state: 'active', statusIndex: Number(status[0].statusListIndex) });
    expect(JSON.stringify(record.body)).not.toContain(JSON.stringify(Object.values(CLAIMS[type])[0]));
  });

  test('status indexes are random, not sequential, and distinct', async () => {
    const indexes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await university.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(100 + i)));
      const vc = decodeJwt(res.body.verifiableCredential).payload.vc as { credentialStatus: Array<{ statusListIndex: string }> };
      indexes.push(Number(vc.credentialStatus[0].statusListIndex));
    }
    expect(new Set(indexes).size).toBe(8);
    const steps = indexes.slice(1).map((x, i) => x - indexes[i]);
    expect(steps.every((d) => d === 1)).toBe(false);
    expect(Math.max(...indexes) - Math.min(...indexes)).toBeGreaterThan(1000);
  });

  const wrongCheck = { ...CLAIMS.NationalIdCredential, citizenIdNumber: '320102199003071230' };
  const { address: _dropped, ...missingAddress } = CLAIMS.NationalIdCredential;
  test.each<[string, unknown, number, string, string?]>([
    ['a wrong ID check digit', issueRequest('NationalIdCredential', holderDid(2), wrongCheck), 400, 'invalid_claims', 'citizen_id_invalid'],
    ['a missing field', issueRequest('NationalIdCredential', holderDid(2), missingAddress), 400, 'invalid_claims', 'claim_missing'],
    ['a schema violation (gender)', issueRequest('NationalIdCredential', holderDid(2), { ...CLAIMS.NationalIdCredential, gender: 'x' }), 400, 'invalid_claims', 'claim_invalid'],
    ['an extra claim', issueRequest('NationalIdCredential', holderDid(2), { ...CLAIMS.NationalIdCredential, religion: 'none' }), 400, 'invalid_claims', 'claim_not_allowed'],
    ['an unknown type', issueRequest('PassportCredential', holderDid(2), {}), 400, 'unknown_credential_type'],
    ['two types', { credential: { type: ['VerifiableCredential', 'NationalIdCredential', 'EducationCredential'], credentialSubject: { id: holderDid(2) } } }, 400, 'unknown_credential_type'],
    ['another agency type', issueRequest('EducationCredential', holderDid(2)), 403, 'credential_type_not_allowed'],
    ['no subject DID', { credential: { type: 'NationalIdCredential', credentialSubject: CLAIMS.NationalIdCredential } }, 400, 'invalid_subject'],
    ['a subject id that is no DID', issueRequest('NationalIdCredential', 'Zhang San'), 400, 'invalid_subject'],
    ['another issuer', { credential: { ...issueRequest('NationalIdCredential', holderDid(2)).credential, issuer: 'did:ethr:0x7a69:0x0000000000000000000000000000000000000001' } }, 403, 'issuer_mismatch'],
    ['no credential', { options: {} }, 400, 'invalid_request'],
    ['a credentialSubject array', { credential: { type: 'NationalIdCredential', credentialSubject: [] } }, 400, 'invalid_request'],
    ['a past expirationDate', { credential: { ...issueRequest('NationalIdCredential', holderDid(2)).credential, expirationDate: '2001-01-01T00:00:00Z' } }, 400, 'invalid_request'],
    ['malformed JSON', '{"credential": ', 400, 'malformed_json'],
    // Rest parameters: with a fixed 5-parameter callback Jest would take the 5th as a `done` callback on 4-value rows.
  ])('%s is rejected with a specific code', async (...[, body, status, code, claimCode]) => {
    const res = await police.client.post('/credentials/issue', body);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    if (claimCode) expect(res.body.details.errors.map((e: { code: string }) => e.code)).toContain(claimCode);
  });

  test('no API key or a wrong one is rejected', async () => {
    const body = issueRequest('NationalIdCredential', holderDid(3));
    for (const client of [h.anonymous, h.anonymous.withHeaders({ 'x-api-key': 'gck_wrong' }), h.anonymous.withHeaders({ 'x-api-key': police.apiKey + 'x' })]) {
      for (const [method, url] of [['POST', '/credentials/issue'], ['GET', '/credentials'], ['POST', '/credentials/status'], ['POST', '/credentials/issue/bulk']]) {
        const res = await client.request(method, url, method === 'POST' ? body : undefined);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    }
  });

  test('a replaced API key stops working at once', async () => {
    const agency = await h.createAgency(['EducationCredential']);
    const res = await h.admin.post(`/admin/agencies/${agency.id}/api-key`);
    expect(res.status).toBe(200);
    expect((await agency.client.get('/agency')).status).toBe(401);
    const fresh = h.anonymous.withHeaders({ 'x-api-key': res.body.apiKey });
    expect((await fresh.get('/agency')).body.did).toBe(agency.did);
  });
});

describe('isolation between agencies', () => {
  test('agency A can neither issue B types, nor change or read B credentials', async () => {
    const issued = await land.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(4)));
    const credentialId = decodeJwt(issued.body.verifiableCredential).payload.jti as string;
    const forbidden = await police.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(4)));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('credential_type_not_allowed');
    for (const action of ['revoke', 'suspend', 'reinstate']) {
      const res = await police.client.post('/credentials/status', { credentialId, action });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('credential_not_found');
    }
    const read = await police.client.get(`/credentials/${encodeURIComponent(credentialId)}`);
    expect(read.status).toBe(404);
    const list = await police.client.get('/credentials?limit=1000');
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(credentialId);
    // B's own change stays readable only to B.
    const change = await land.client.post('/credentials/status', { credentialId, action: 'suspend' });
    expect(change.status).toBe(202);
    expect((await police.client.get(`/credentials/status/${change.body.id}`)).status).toBe(404);
    expect((await land.client.get(`/credentials/status/${change.body.id}`)).status).toBe(200);
    const record = await land.client.get(`/credentials/${encodeURIComponent(credentialId)}`);
    expect(record.body.state).toBe('suspended');
  });
});

describe('storage', () => {
  test('the SQLite file holds no plaintext private key and no API key', async () => {
    const { DataSource } = await import('typeorm');
    const { PrivateKeyStore, Entities, migrations } = await import('@veramo/data-store');
    const { SecretBox } = await import('@veramo/kms-local');
    const { computeAddress } = await import('ethers');
    // Read the keys back the way the KMS does (with the secret), only to know what to look for in the file.
    const ds = new DataSource({ type: 'better-sqlite3', database: h.config.ISSUER_SQLITE_PATH, entities: Entities, migrations, migrationsRun: false });
    await ds.initialize();
    const store = new PrivateKeyStore(ds, new SecretBox(h.config.ISSUER_KMS_SECRET));
    const keys = await store.listKeys();
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const secrets = await Promise.all(keys.map((k) => store.getKey({ alias: k.alias })));
    await ds.destroy();
    const addresses = secrets.map((k) => computeAddress(`0x${k.privateKeyHex}`));
    expect(addresses).toEqual(expect.arrayContaining([police.keyAddress, university.keyAddress, land.keyAddress]));
    const dir = path.dirname(h.config.ISSUER_SQLITE_PATH);
    const files = readdirSync(dir).map((f) => readFileSync(path.join(dir, f)));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const bytes of files) {
      const latin1 = bytes.toString('latin1').toLowerCase();
      for (const k of secrets) {
        expect(latin1.includes(k.privateKeyHex.toLowerCase())).toBe(false);
        expect(bytes.includes(Buffer.from(k.privateKeyHex, 'hex'))).toBe(false);
        expect(latin1.includes(Buffer.from(k.privateKeyHex, 'hex').toString('base64').toLowerCase())).toBe(false);
      }
      for (const agency of [police, university, land]) expect(bytes.includes(Buffer.from(agency.apiKey))).toBe(false);
    }
  });
});

describe('edge', () => {
  test('OpenAPI is served at /docs and the catalog is public', async () => {
    const docs = await fetch(`${h.issuer.url}/docs`);
    expect(docs.status).toBe(200);
    const spec = await h.anonymous.get('/docs-json');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/credentials/issue', '/credentials/status', '/admin/agencies', '/admin/audit/check']));
    const types = await h.anonymous.get('/credential-types');
    expect(types.body.map((t: { type: string }) => t.type).sort()).toEqual(['EducationCredential', 'NationalIdCredential', 'PropertyCredential']);
    expect(types.body[0].labels['zh-CN'].name).toBeTruthy();
    // Property titles say so (the portal offers their two more states); the others carry no flag.
    expect(types.body.filter((t: { titleChain?: boolean }) => t.titleChain).map((t: { type: string }) => t.type)).toEqual(['PropertyCredential']);
    expect((await h.anonymous.get('/credential-types/PropertyCredential')).body.titleChain).toBe(true);
    expect((await h.anonymous.get('/credential-types/EducationCredential')).body).not.toHaveProperty('titleChain');
    const unknown = await h.anonymous.get('/credential-types/Nope');
    expect(unknown.status).toBe(404 === unknown.status ? 404 : 400);
    expect(unknown.body.code).toBe('unknown_credential_type');
    const route = await h.anonymous.get('/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.code).toBe('not_found');
  });
});
