/**
 * The honest paths over real HTTP and the real chain, with no issuer process: each catalog type, suspension
 * then reinstatement, an agency key rotation, withdrawn accreditation, trust policy and the stored result.
 */
import { Wallet } from 'ethers';
import { TrustRegistryClient, schemaReference } from '../../libs/credentials/src/index.js';
import { VERIFIER_CONFIG_SCHEMA } from '../../apps/verifier/src/config/verifier.config.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, fundedWallet, rotateOwner, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, createChallenge, createVerifierAccount, get, post, startTestVerifier, waitForMirrors, withKey, type ResultBody } from '../support/verifier.js';

const DAY = 86_400;
type TypeName = keyof typeof SAMPLE_CLAIMS;
const TYPES = Object.keys(SAMPLE_CLAIMS) as TypeName[];

let f: Fixture;
let verifier: RunningVerifier;
let clockOffsetMs = 0;
let apiKey: string;
const agencies = {} as Record<TypeName, TestAgency>;
const holder = new TestHolder();

const issue = (type: TypeName, extra: Partial<Parameters<TestAgency['issue']>[0]> = {}, by = agencies[type]) =>
  by.issue({ type, holder: holder.did, claims: SAMPLE_CLAIMS[type], schema: schemaReference(type), ...extra });

const verifyCredential = (jwt: string) => post<ResultBody>(`${verifier.url}/credentials/verify`, { verifiableCredential: jwt });
const codes = (body: ResultBody) => [...new Set(body.problems.map((p) => p.code))].sort();
const chainTime = async () => (await f.provider.getBlock('latest'))!.timestamp;

beforeAll(async () => {
  f = await deployFixture();
  clockOffsetMs = await chainClockOffsetMs(f.provider);
  for (const type of TYPES) agencies[type] = await TestAgency.create(f, [{ type, validFrom: nowSeconds() - 30 * DAY }]);
  verifier = await startTestVerifier(f, {}, { now: () => new Date(Date.now() + clockOffsetMs) });
  ({ apiKey } = await createVerifierAccount(verifier.url));
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

test('one presentation with a credential of each catalog type verifies, and uses its challenge up', async () => {
  const jwts = [];
  for (const type of TYPES) jwts.push((await issue(type, { expiresAt: nowSeconds() + 365 * DAY })).jwt);
  const request = await createChallenge(verifier.url, apiKey, [
    { type: 'NationalIdCredential', claims: ['name', 'citizenIdNumber'] },
    { type: 'EducationCredential', claims: ['degree', 'institution'], issuers: [agencies.EducationCredential.did] },
    { type: 'PropertyCredential', claims: ['address', 'area'] },
  ]);
  expect(request.challenge.length).toBeGreaterThanOrEqual(22); // >= 128 bits in base64url

  const vp = await holder.present(jwts, request.challenge, request.domain);
  // A system verifying with its key gets the full result.
  const { status, body } = await post<ResultBody>(
    `${verifier.url}/presentations/verify`,
    { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } },
    withKey(apiKey),
  );
  expect(status).toBe(200);
  expect(body.problems).toEqual([]);
  expect(body.verified).toBe(true);
  expect(body.credentials.map((c) => c.type)).toEqual(TYPES);
  expect(body.checks.every((c) => c.status === 'passed')).toBe(true);
  for (const check of ['presentation_signature', 'challenge', 'domain', 'credential_signature', 'holder_binding', 'validity_period', 'schema', 'status', 'accreditation', 'request']) {
    expect(body.checks.map((c) => c.check)).toContain(check);
  }

  const again = await post<ResultBody>(
    `${verifier.url}/presentations/verify`,
    { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } },
    withKey(apiKey),
  );
  expect(again.body.problems.map((p) => p.code)).toEqual(['challenge_replayed']);
});

test.each(TYPES)('a %s verifies on its own', async (type) => {
  const { body } = await verifyCredential((await issue(type)).jwt);
  expect(body.problems).toEqual([]);
  expect(body.verified).toBe(true);
});

test('suspended, then valid again after reinstatement', async () => {
  const agency = agencies.NationalIdCredential;
  const { jwt, index } = await issue('NationalIdCredential');
  expect((await verifyCredential(jwt)).body.verified).toBe(true);
  await waitForMirrors(verifier, await agency.suspend(index));
  expect(codes((await verifyCredential(jwt)).body)).toEqual(['credential_suspended']);
  await waitForMirrors(verifier, await agency.reinstate(index));
  const { body } = await verifyCredential(jwt);
  expect(body.problems).toEqual([]);
  expect(body.verified).toBe(true);
});

test('revocation is final: suspension changes nothing once revoked', async () => {
  const agency = agencies.EducationCredential;
  const { jwt, index } = await issue('EducationCredential');
  await agency.revoke(index);
  await agency.suspend(index);
  await waitForMirrors(verifier, await agency.reinstate(index));
  expect(codes((await verifyCredential(jwt)).body)).toEqual(['credential_revoked']);
});

test('agency key rotation: old credentials stay valid, the rotated-out key cannot sign new ones', async () => {
  const agency = await TestAgency.create(f, [{ type: 'PropertyCredential', validFrom: nowSeconds() - 30 * DAY }]);
  const before = Math.min(nowSeconds(), await chainTime()) - 120;
  const old = await issue('PropertyCredential', { issuedAt: before }, agency);
  const oldKey = agency.controller.privateKey;

  const newKey = await fundedWallet(f.provider);
  await rotateOwner(f.didRegistry, agency.identity, agency.address, newKey.address);
  await agency.useController(newKey);
  const rotatedAt = await chainTime();
  await waitForMirrors(verifier, await f.provider.getBlockNumber());

  // Signed before the rotation, by the key in force then: still verified.
  const oldResult = (await verifyCredential(old.jwt)).body;
  expect(oldResult.problems).toEqual([]);
  expect(oldResult.verified).toBe(true);
  // The rotated-out key signing a credential dated after the rotation.
  const forged = await issue('PropertyCredential', { issuedAt: rotatedAt + 1, signingKey: oldKey }, agency);
  expect(codes((await verifyCredential(forged.jwt)).body)).toEqual(['credential_signature_invalid']);
  // The new key signs new credentials…
  const fresh = await issue('PropertyCredential', { issuedAt: rotatedAt + 1 }, agency);
  expect((await verifyCredential(fresh.jwt)).body.problems).toEqual([]);
  // …but cannot back-date one to before it was in control.
  const backdated = await issue('PropertyCredential', { issuedAt: before }, agency);
  expect(codes((await verifyCredential(backdated.jwt)).body)).toEqual(['credential_signature_invalid']);
  // The lists followed the identity: the new key suspends the old credential.
  await waitForMirrors(verifier, await agency.suspend(old.index));
  expect(codes((await verifyCredential(old.jwt)).body)).toEqual(['credential_suspended']);
});

test('withdrawn accreditation: credentials issued before stay valid, later ones fail', async () => {
  const agency = await TestAgency.create(f, [{ type: 'EducationCredential', validFrom: nowSeconds() - 30 * DAY }]);
  const before = await issue('EducationCredential', { issuedAt: Math.min(nowSeconds(), await chainTime()) - 60 }, agency);
  await new TrustRegistryClient(f.trustRegistry, f.governance).withdraw(agency.address, 'EducationCredential');
  const withdrawnAt = await chainTime();
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  expect((await verifyCredential(before.jwt)).body.verified).toBe(true);
  const after = await issue('EducationCredential', { issuedAt: withdrawnAt + 1 }, agency);
  expect(codes((await verifyCredential(after.jwt)).body)).toEqual(['accreditation_not_in_force']);
});

test('trust policy: an accredited issuer the request does not accept → issuer_not_trusted', async () => {
  const request = await createChallenge(verifier.url, apiKey, [{ type: 'NationalIdCredential', issuers: [agencies.EducationCredential.did] }]);
  const vp = await holder.present([(await issue('NationalIdCredential')).jwt], request.challenge, request.domain);
  const { body } = await post<ResultBody>(`${verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } });
  expect(codes(body)).toEqual(['issuer_not_trusted']);
});

test('a status list the mirror does not know → status_unknown, never valid', async () => {
  const agency = agencies.NationalIdCredential;
  const { jwt } = await agency.issue({
    type: 'NationalIdCredential',
    holder: holder.did,
    claims: SAMPLE_CLAIMS.NationalIdCredential,
    schema: schemaReference('NationalIdCredential'),
  });
  // Same credential from an identity that never created its lists (accredited, so only status fails).
  const listless = await fundedWallet(f.provider);
  const bare = Object.assign(Object.create(TestAgency.prototype) as TestAgency, {
    fixture: f,
    identity: listless,
    controller: listless,
    did: `did:ethr:0x7a69:${listless.address}`,
  });
  await new TrustRegistryClient(f.trustRegistry, f.governance).accredit(listless.address, 'NationalIdCredential', nowSeconds() - DAY);
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  expect((await verifyCredential(jwt)).body.verified).toBe(true);
  const unknown = await bare.issue({ type: 'NationalIdCredential', holder: holder.did, claims: SAMPLE_CLAIMS.NationalIdCredential, schema: schemaReference('NationalIdCredential') });
  expect(codes((await verifyCredential(unknown.jwt)).body)).toEqual(['status_unknown']);
});

test('the verifier has no issuer URL: its settings are the chain and its own', () => {
  const keys = Object.keys(VERIFIER_CONFIG_SCHEMA.properties);
  expect(keys.filter((k) => /ISSUER/i.test(k))).toEqual([]);
  expect(Object.values(verifier.chain.config).filter((v) => typeof v === 'string' && /issuer/i.test(v))).toEqual([]);
});

test('OpenAPI at /docs documents the endpoints and the problem codes', async () => {
  const doc = await get<{ paths: Record<string, unknown> }>(`${verifier.url}/docs-json`);
  expect(Object.keys(doc.body.paths).sort()).toEqual(
    [
      '/admin/verifiers',
      '/admin/verifiers/{verifierId}/clerks',
      '/admin/verifiers/{verifierId}/clerks/{clerkId}',
      '/certificates/{number}',
      '/challenges',
      // The counter page's API (its page routes, / and /assets, are not API and not documented).
      '/counter/checks',
      '/counter/checks/{id}',
      '/counter/checks/{id}/events',
      '/counter/clerks',
      '/counter/clerks/{clerkId}',
      '/counter/history',
      '/counter/options',
      '/counter/session',
      '/credentials/verify',
      '/health',
      '/oid4vp/requests',
      '/oid4vp/requests/{id}',
      '/oid4vp/requests/{id}/events',
      '/oid4vp/requests/{id}/request-object',
      '/oid4vp/responses/{id}',
      '/presentations/verify',
      '/wallet/config.json',
    ].sort(),
  );
  expect(JSON.stringify(doc.body)).toContain('issuer_not_accredited_for_type');
  expect((await fetch(`${verifier.url}/docs`)).status).toBe(200);
});

test('a fresh random wallet used nowhere is not a did the verifier trusts for anything', async () => {
  const stranger = Wallet.createRandom();
  const rogue = Object.assign(Object.create(TestAgency.prototype) as TestAgency, {
    fixture: f,
    identity: stranger,
    controller: stranger,
    did: `did:ethr:0x7a69:${stranger.address}`,
  });
  const { jwt } = await rogue.issue({ type: 'NationalIdCredential', holder: holder.did, claims: SAMPLE_CLAIMS.NationalIdCredential, schema: schemaReference('NationalIdCredential') });
  expect(codes((await verifyCredential(jwt)).body)).toEqual(['issuer_not_accredited', 'status_unknown']);
});
