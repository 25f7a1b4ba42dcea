/**
 * Re-issuance after a key compromise (issue 15 §2 "Re-issuance"), over HTTP against the real chain: an honest
 * holder whose credential's issuance was anchored before the key's revocation gets the same claims under the new
 * key through an OID4VCI offer with PIN (the new credential verifies, the old one is revoked); a forgery signed
 * with the stolen key is not in the log and is refused; a routinely rotated key's credentials are refused; a
 * credential is re-issued once; hostile input is a 4xx with a stable code.
 */
import { PrivateKeyStore, Entities, migrations } from '@veramo/data-store';
import { SecretBox } from '@veramo/kms-local';
import { ES256KSigner, createJWT } from 'did-jwt';
import { Wallet, computeAddress } from 'ethers';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditAnchorWorker } from '../../apps/issuer/src/audit-anchor/audit-anchor.worker.js';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { chainClockOffsetMs, post, startTestVerifier, waitForMirrors } from '../support/verifier.js';
import { ecKey } from '../support/sd-jwt-fixtures.js';
import { WalletUser } from '../support/wallet.js';
import { holderDid, issueRequest } from './claims.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

type TestAgency = CreatedAgency & { client: Client; owner: Wallet };
type Verified = { verified: boolean; problems: Array<{ code: string }> };
let h: IssuerHarness;
let verifier: RunningVerifier;
let chainOffsetMs = 0;

beforeAll(async () => {
  // Anchoring every 200 ms: a credential's issuance is on chain well before the test revokes its key.
  h = await startHarness({ env: { AUDIT_ANCHOR_INTERVAL_MS: '200' } });
  chainOffsetMs = await chainClockOffsetMs(h.fixture.provider);
  verifier = await startTestVerifier(h.fixture, {}, { now: () => new Date(Date.now() + chainOffsetMs) });
});
afterAll(async () => {
  await verifier?.close();
  await h?.close();
});

const reissue = (credential: unknown, harness = h) => harness.anonymous.post('/credentials/reissue', { credential });
const codes = async (credential: string) => {
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  return (await post<Verified>(`${verifier.url}/credentials/verify`, { verifiableCredential: credential })).body.problems.map((p) => p.code);
};

/** The private key of `address` from the issuer's KMS: what a thief with the database and its secret gets. */
async function steal(address: string): Promise<string> {
  const ds = new DataSource({ type: 'better-sqlite3', database: h.config.ISSUER_SQLITE_PATH, entities: Entities, migrations, migrationsRun: false });
  await ds.initialize();
  try {
    const store = new PrivateKeyStore(ds, new SecretBox(h.config.ISSUER_KMS_SECRET));
    const keys = await Promise.all((await store.listKeys()).map((k) => store.getKey({ alias: k.alias })));
    return keys.map((k) => `0x${k.privateKeyHex}`).find((k) => computeAddress(k) === address)!;
  } finally {
    await ds.destroy();
  }
}

/** The agency's audit entries, `data` parsed (stored as canonical JSON). */
async function auditOf(agency: TestAgency): Promise<Array<{ seq: number; action: string; actor: string; data: Record<string, unknown> }>> {
  const entries = (await h.admin.get(`/admin/audit?agencyId=${agency.id}&limit=1000`)).body.entries as Array<{ seq: number; action: string; actor: string; data: string }>;
  return entries.map((e) => ({ ...e, data: JSON.parse(e.data) as Record<string, unknown> }));
}

/** Issues a credential and waits until its `credential.issued` entry has a receipt (anchored on chain). */
async function issueAnchored(agency: TestAgency, i: number): Promise<string> {
  const issued = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(i)));
  expect(issued.status).toBe(201);
  const id = decodeJwt(issued.body.verifiableCredential).payload.jti as string;
  const entry = (await auditOf(agency)).find((e) => e.action === 'credential.issued' && e.data.credentialId === id)!;
  await waitFor(async () => (await h.admin.get(`/admin/audit/${entry.seq}/receipt`)).status === 200, 20_000, 100);
  return issued.body.verifiableCredential as string;
}

/** The owner opens a key operation (`reason` compromised or a routine rotation), signs its hashes, the issuer relays. */
async function rotate(agency: TestAgency, body: Record<string, string>, harness = h) {
  const opened = await harness.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, body);
  expect(opened.status).toBe(200);
  const signatures = opened.body.calls.map((c: { hash: string }) => agency.owner.signingKey.sign(c.hash).serialized);
  const done = await harness.admin.post(`/admin/agencies/${agency.id}/keys/rotations/${opened.body.id}/signatures`, { signatures });
  expect(done.status).toBe(200);
  return done.body as { signingKeyId: string; keyActiveFrom: string };
}

/** A credential like `like` for another holder, signed with `key` under `like`'s kid. */
async function forge(agency: TestAgency, like: string, key: string): Promise<string> {
  const { header, payload } = decodeJwt(like);
  const subject = holderDid(99);
  const vc = payload.vc as { credentialSubject: Record<string, unknown> };
  const forged = { ...payload, sub: subject, jti: `urn:uuid:${randomUUID()}`, vc: { ...vc, credentialSubject: { ...vc.credentialSubject, id: subject } } };
  return createJWT(forged, { issuer: agency.did, signer: ES256KSigner(Buffer.from(key.slice(2), 'hex')) }, { alg: 'ES256K', kid: header.kid as string });
}

test('after a compromise the honest holder is re-issued once under the new key; forgeries are refused', async () => {
  const agency = await h.createAgency(['NationalIdCredential']);
  const honest = await issueAnchored(agency, 1);
  const oldId = decodeJwt(honest).payload.jti as string;
  // While the key is in force there is nothing to re-issue.
  const early = await reissue(honest);
  expect([early.status, early.body.code]).toEqual([409, 'reissue_not_compromised_key']);

  const stolen = await steal(agency.keyAddress);
  const forgedAfterAnchor = await forge(agency, honest, stolen);
  const done = await rotate(agency, { reason: 'compromised' });

  // A forgery with the stolen key verifies with the revoked key but was never logged.
  const forged = await reissue(forgedAfterAnchor);
  expect([forged.status, forged.body.code]).toEqual([409, 'reissue_not_logged']);
  // Signed by someone else under the revoked key's kid: refused on the signature.
  const other = await reissue(await forge(agency, honest, Wallet.createRandom().privateKey));
  expect([other.status, other.body.code]).toEqual([400, 'reissue_signature_invalid']);
  // One character changed in the payload: the signature no longer holds.
  const [head, body, sig] = honest.split('.');
  const tampered = await reissue(`${head}.${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}.${sig}`);
  expect(tampered.status).toBe(400);
  expect(['reissue_signature_invalid', 'reissue_credential_invalid']).toContain(tampered.body.code);

  const answered = await reissue(honest);
  expect(answered.status).toBe(201);
  expect(answered.body).toMatchObject({ revokedCredentialId: oldId, credentialIssuer: `${h.issuer.url}/oid4vci/${agency.id}` });
  expect(answered.body.txCode).toMatch(/^[0-9]{6}$/);
  // Single use, also when asked again at once.
  const again = await reissue(honest);
  expect([again.status, again.body.code]).toEqual([409, 'reissue_already_done']);

  // The old credential's status entry is revoked, by `reissue`.
  const record = await agency.client.get(`/credentials/${encodeURIComponent(oldId)}`);
  expect(record.body.state).toBe('revoked');
  const audit = await auditOf(agency);
  expect(audit.find((e) => e.action === 'credential.reissued')).toMatchObject({ actor: 'reissue', data: { credentialId: oldId } });
  expect(audit.find((e) => e.action === 'status.revoke.requested' && e.data.credentialId === oldId)).toMatchObject({ actor: 'reissue' });

  // The holder redeems the offer with the PIN once the new key is in force: same claims, new key, it verifies.
  await waitFor(async () => Date.now() >= Date.parse(done.keyActiveFrom) + 1100, 20_000, 50);
  const user = new WalletUser(h.fixture);
  expect((await user.run('init')).code).toBe(0);
  const received = await user.run('receive', '--pin', answered.body.txCode, answered.body.offerUri);
  expect(received.err).toBe('');
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  const fresh = store.data.credentials.at(-1)!.jwt as string;
  expect(decodeJwt(fresh).header.kid).toBe(done.signingKeyId);
  const claims = (jwt: string) => {
    const subject = { ...(decodeJwt(jwt).payload.vc as { credentialSubject: Record<string, unknown> }).credentialSubject };
    delete subject.id;
    return subject;
  };
  expect(claims(fresh)).toEqual(claims(honest));
  expect(await codes(fresh)).toEqual([]);
}, 120_000);

test('a credential of a routinely rotated key is refused', async () => {
  const agency = await h.createAgency(['NationalIdCredential']);
  const before = await issueAnchored(agency, 2);
  await rotate(agency, {});
  const refused = await reissue(before);
  expect([refused.status, refused.body.code]).toEqual([409, 'reissue_not_compromised_key']);
  // It still verifies: a rotation never revokes.
  expect(await codes(before)).toEqual([]);
}, 120_000);

test('an issuance anchored only after the revocation is refused; an SD-JWT VC anchored before is re-issued', async () => {
  // Workers off: the test anchors the audit log exactly when it wants, here once before and once after the revocation.
  const late = await startHarness({ env: { ISSUER_WORKERS: 'false', AUDIT_ANCHOR_INTERVAL_MS: '60000' } });
  try {
    const worker = late.issuer.app.get(AuditAnchorWorker);
    expect(await worker.lease.acquire()).toBe(true);
    const future = () => Date.now() + 3_600_000;
    const agency = await late.createAgency(['NationalIdCredential']);
    const sd = await agency.client.post('/credentials/issue', { ...issueRequest('NationalIdCredential', holderDid(7)), options: { format: 'dc+sd-jwt', holderJwk: ecKey('P-256').jwk } });
    expect(sd.status).toBe(201);
    // Suspended by the agency before the compromise: re-issuance must not bring it back active.
    const suspended = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(9)));
    const suspendedId = decodeJwt(suspended.body.verifiableCredential).payload.jti as string;
    expect((await agency.client.post('/credentials/status', { credentialId: suspendedId, action: 'suspend' })).status).toBe(202);
    await worker.pass(future());
    const unanchored = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(8)));
    expect(unanchored.status).toBe(201);
    await rotate(agency, { reason: 'compromised' }, late);

    const notYet = await reissue(unanchored.body.verifiableCredential, late);
    expect([notYet.status, notYet.body.code]).toEqual([409, 'reissue_not_logged']);
    await worker.pass(future()); // anchored now, after the block that revoked the key: indistinguishable from a forgery
    const tooLate = await reissue(unanchored.body.verifiableCredential, late);
    expect([tooLate.status, tooLate.body.code]).toEqual([409, 'reissue_logged_too_late']);
    const kept = await agency.client.get(`/credentials/${encodeURIComponent(decodeJwt(unanchored.body.verifiableCredential).payload.jti as string)}`);
    expect([kept.status, kept.body]).toEqual([200, expect.objectContaining({ state: 'active', reissuedAt: null })]);

    const notActive = await reissue(suspended.body.verifiableCredential, late);
    expect([notActive.status, notActive.body.code]).toEqual([409, 'reissue_not_active']);
    expect((await agency.client.get(`/credentials/${encodeURIComponent(suspendedId)}`)).body).toMatchObject({ state: 'suspended', reissuedAt: null });

    // Every disclosure as issued: the digest matches the record; without one it would not.
    const [jws, ...disclosures] = (sd.body.verifiableCredential as string).split('~');
    const partial = await reissue(`${jws}~${disclosures.slice(1).join('~')}`, late);
    expect([partial.status, partial.body.code]).toEqual([409, 'reissue_not_logged']);
    const reissued = await reissue(sd.body.verifiableCredential, late);
    expect(reissued.status).toBe(201);
    expect(reissued.body.revokedCredentialId).toBe(sd.body.credentialId);
    expect((await agency.client.get(`/credentials/${encodeURIComponent(sd.body.credentialId)}`)).body.state).toBe('revoked');
  } finally {
    await late.close();
  }
}, 120_000);

test('hostile input: a 4xx with a stable code, never a 5xx', async () => {
  const cases: Array<[unknown, number, string]> = [
    [{}, 400, 'reissue_credential_invalid'],
    [{ credential: 42 }, 400, 'reissue_credential_invalid'],
    [{ credential: 'not.a.jwt' }, 400, 'reissue_credential_invalid'],
    [{ credential: 'a~b~' }, 400, 'reissue_credential_invalid'],
    [{ credential: 'x', extra: 1 }, 400, 'invalid_request'],
    [['x'], 400, 'invalid_request'],
    [{ credential: 'x'.repeat(100_000) }, 413, 'payload_too_large'],
  ];
  for (const [body, status, code] of cases) {
    const res = await h.anonymous.post('/credentials/reissue', body);
    expect([res.status, res.body.code]).toEqual([status, code]);
  }
  // A well-formed credential of an issuer that is not one of its agencies.
  const stranger = Wallet.createRandom();
  const did = `did:ethr:0x${h.fixture.chainId.toString(16)}:${stranger.address}`;
  const jwt = await createJWT({ vc: { credentialSubject: { id: holderDid(5) } } }, { issuer: did, signer: ES256KSigner(Buffer.from(stranger.privateKey.slice(2), 'hex')) }, { alg: 'ES256K', kid: `${did}#controller` });
  const res = await reissue(jwt);
  expect([res.status, res.body.code]).toEqual([400, 'reissue_credential_invalid']);
});
