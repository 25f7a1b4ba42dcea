/**
 * Key compromise drill over HTTP (issue 15 §2 "Compromise"): the signing key and the status writer are stolen from
 * the issuer's KMS. Neither can take the identity over or touch keys; the signing key cannot write status. The owner
 * revokes them (an owner-signed `reason: compromised` operation): signing stops the moment the operation is opened,
 * and afterwards every credential of the revoked key fails at the verifier (`issuer_key_revoked`), a back-dated
 * forgery and an honest credential alike, while the new key's credentials verify.
 */
import { PrivateKeyStore, Entities, migrations } from '@veramo/data-store';
import { SecretBox } from '@veramo/kms-local';
import { ES256KSigner, createJWT } from 'did-jwt';
import { Contract, Wallet, computeAddress, encodeBytes32String } from 'ethers';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ERC1056_ABI, SIGNING_KEY_ATTRIBUTE, STATUS_REGISTRY_ABI, STATUS_WRITER_DELEGATE } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { chainClockOffsetMs, post, startTestVerifier, waitForMirrors } from '../support/verifier.js';
import { holderDid, issueRequest } from './claims.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

let h: IssuerHarness;
let verifier: RunningVerifier;
let agency: CreatedAgency & { client: Client; owner: Wallet };
let chainOffsetMs = 0;
/** How far the chain's clock trails this one (the shared chain may run behind): measured at a fresh block. */
let chainLagMs = 0;
type Verified = { verified: boolean; problems: Array<{ code: string }> };
const SUSPENSION_LIST = 2;

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['NationalIdCredential']);
  chainLagMs = Math.max(0, Date.now() - (await h.fixture.provider.getBlock('latest'))!.timestamp * 1000);
  chainOffsetMs = await chainClockOffsetMs(h.fixture.provider);
  verifier = await startTestVerifier(h.fixture, {}, { now: () => new Date(Date.now() + chainOffsetMs) });
});
afterAll(async () => {
  await verifier?.close();
  await h?.close();
});

/** Every private key in the issuer's KMS by Ethereum address: what a thief with the database and its secret gets. */
async function kms(): Promise<Map<string, string>> {
  const ds = new DataSource({ type: 'better-sqlite3', database: h.config.ISSUER_SQLITE_PATH, entities: Entities, migrations, migrationsRun: false });
  await ds.initialize();
  try {
    const store = new PrivateKeyStore(ds, new SecretBox(h.config.ISSUER_KMS_SECRET));
    const keys = await Promise.all((await store.listKeys()).map((k) => store.getKey({ alias: k.alias })));
    return new Map(keys.map((k) => [computeAddress(`0x${k.privateKeyHex}`), `0x${k.privateKeyHex}`]));
  } finally {
    await ds.destroy();
  }
}

const verify = async (credential: string) => {
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  return (await post<Verified>(`${verifier.url}/credentials/verify`, { verifiableCredential: credential })).body;
};
const codes = (body: Verified) => body.problems.map((p) => p.code);
const dids = () => new Contract(h.fixture.didRegistry, ERC1056_ABI, h.fixture.provider);
const statusRegistry = () => new Contract(h.fixture.statusRegistry, STATUS_REGISTRY_ABI, h.fixture.provider);
/** A status write (suspend index 7) as `from` would send it, executed against the chain's current state. */
const statusWrite = (from: Wallet) => statusRegistry().connect(from.connect(h.fixture.provider)).getFunction('update').staticCall(agency.identityAddress, SUSPENSION_LIST, 0, '0x000007');

async function issue(i: number) {
  return agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(i)));
}

/** The owner (governance) opens an operation, signs every hash offline, and the issuer relays them. */
async function ownerRuns(body: Record<string, string>) {
  const opened = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, body);
  expect(opened.status).toBe(200);
  const signatures = opened.body.calls.map((c: { hash: string }) => agency.owner.signingKey.sign(c.hash).serialized);
  return { opened, signatures, url: `/admin/agencies/${agency.id}/keys/rotations/${opened.body.id}/signatures` };
}

/** A credential the thief signs with the stolen key: another holder, dated as `like` (before any revocation). */
async function forge(like: string, stolenKey: string): Promise<string> {
  const { header, payload } = decodeJwt(like);
  const subject = holderDid(99);
  const vc = payload.vc as { credentialSubject: Record<string, unknown> };
  const forged = { ...payload, sub: subject, jti: `urn:uuid:${randomUUID()}`, vc: { ...vc, credentialSubject: { ...vc.credentialSubject, id: subject } } };
  return createJWT(forged, { issuer: agency.did, signer: ES256KSigner(Buffer.from(stolenKey.slice(2), 'hex')) }, { alg: 'ES256K', kid: header.kid as string });
}

test('a stolen signing key: no owner change, no status write; after the compromise nothing it signed verifies', async () => {
  const honest = await issue(1);
  expect(honest.status).toBe(201);
  const honestJwt = honest.body.verifiableCredential as string;
  expect(codes(await verify(honestJwt))).toEqual([]);

  const stolen = (await kms()).get(agency.keyAddress)!;
  expect(stolen).toBeDefined();
  const thief = new Wallet(stolen, h.fixture.provider);
  // Before any revocation, a back-dated forgery verifies: this is what the compromise must undo.
  const forgery = await forge(honestJwt, stolen);
  expect(codes(await verify(forgery))).toEqual([]);
  // The key's role is signing only: it is neither the owner nor a status writer.
  await expect(dids().connect(thief).getFunction('changeOwner').staticCall(agency.identityAddress, thief.address)).rejects.toThrow();
  await expect(statusWrite(thief)).rejects.toMatchObject({ revert: { name: 'NotStatusWriter' } });
  const writer = new Wallet((await kms()).get(agency.writerAddress)!);
  await expect(statusWrite(writer)).resolves.toBeDefined(); // the same call is a valid write for the writer

  // The owner reports the key compromised: signing stops at once, before anyone has signed anything.
  const { opened, signatures, url } = await ownerRuns({ reason: 'compromised' });
  expect(opened.body).toMatchObject({ state: 'awaiting_signatures', reason: 'compromised' });
  expect(opened.body.calls.map((c: { method: string }) => c.method)).toEqual(['revokeAttribute', 'setAttribute']);
  const halted = await issue(2);
  expect(halted.status).toBe(503);
  expect(halted.body.code).toBe('signing_key_compromised');
  // Idempotent: asked again (even as a routine rotation), the same operation.
  expect((await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, { reason: 'compromised' })).body).toEqual(opened.body);
  expect((await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, {})).body).toEqual(opened.body);

  // The revocation lands in a later second of the chain's clock than the credentials (as it would in life): the
  // verifier then judges them by the document at their issuance, where the key is listed, and finds it revoked.
  const nbf = decodeJwt(honestJwt).payload.nbf as number;
  // Block times are whole seconds of the chain's clock, which may trail this one: a second of margin past the lag.
  await waitFor(async () => Date.now() - chainLagMs >= (nbf + 2) * 1000, 20_000, 50);
  const done = await h.admin.post(url, { signatures });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ state: 'done', reason: 'compromised', revokedSigningKeyId: agency.signingKeyId });
  expect(done.body.signingKeyId).not.toBe(agency.signingKeyId);
  const replay = await h.admin.post(url, { signatures });
  expect(replay.body).toEqual(done.body);

  // The old private key is gone; the key is revoked on chain and recorded so.
  expect((await kms()).has(agency.keyAddress)).toBe(false);
  const keys = (await h.admin.get(`/admin/agencies/${agency.id}/keys`)).body as Array<{ kid: string; state: string; held: boolean; reason: string }>;
  expect(keys.find((k) => k.kid === agency.signingKeyId)).toMatchObject({ state: 'revoked', held: false, reason: 'compromised' });

  // Retroactive: the back-dated forgery AND the honest credential of the revoked key fail everywhere.
  expect(codes(await verify(forgery))).toEqual(['issuer_key_revoked']);
  expect(codes(await verify(honestJwt))).toEqual(['issuer_key_revoked']);
  expect(codes(await verify(await forge(honestJwt, stolen)))).toEqual(['issuer_key_revoked']);

  // Issuance resumes with the new key once it is in force, and its credentials verify.
  await waitFor(async () => Date.now() >= Date.parse(done.body.keyActiveFrom) + 1100, 20_000, 50);
  const fresh = await issue(3);
  expect(fresh.status).toBe(201);
  expect(decodeJwt(fresh.body.verifiableCredential).header.kid).toBe(done.body.signingKeyId);
  expect(codes(await verify(fresh.body.verifiableCredential))).toEqual([]);

  const audit = await h.admin.get(`/admin/audit?agencyId=${agency.id}`);
  const actions = (audit.body.entries as Array<{ action: string }>).map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['agency.key_compromise_opened', 'agency.key_compromised']));
});

test('a stolen writer key cannot touch keys or owner, and a writer compromise revokes it', async () => {
  const stolenWriter = new Wallet((await kms()).get(agency.writerAddress)!, h.fixture.provider);
  const registry = dids().connect(stolenWriter);
  const id = agency.identityAddress;
  const other = Wallet.createRandom();
  await expect(registry.getFunction('changeOwner').staticCall(id, stolenWriter.address)).rejects.toThrow();
  await expect(registry.getFunction('setAttribute').staticCall(id, encodeBytes32String(SIGNING_KEY_ATTRIBUTE), other.signingKey.compressedPublicKey, 86_400)).rejects.toThrow();
  await expect(registry.getFunction('addDelegate').staticCall(id, encodeBytes32String(STATUS_WRITER_DELEGATE), other.address, 86_400)).rejects.toThrow();
  await expect(registry.getFunction('revokeDelegate').staticCall(id, encodeBytes32String(STATUS_WRITER_DELEGATE), agency.writerAddress)).rejects.toThrow();
  // Its own role, status writes, it has until revoked.
  await expect(statusWrite(stolenWriter)).resolves.toBeDefined();

  const { opened, signatures, url } = await ownerRuns({ role: 'writer', reason: 'compromised' });
  expect(opened.body.calls.map((c: { method: string }) => c.method)).toEqual(['revokeDelegate', 'addDelegate']);
  const done = await h.admin.post(url, { signatures });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ state: 'done', reason: 'compromised', revokedWriterAddress: agency.writerAddress });

  expect(await dids().getFunction('validDelegate')(id, encodeBytes32String(STATUS_WRITER_DELEGATE), agency.writerAddress)).toBe(false);
  expect(await dids().getFunction('validDelegate')(id, encodeBytes32String(STATUS_WRITER_DELEGATE), done.body.writerAddress)).toBe(true);
  await expect(statusWrite(stolenWriter)).rejects.toMatchObject({ revert: { name: 'NotStatusWriter' } });
  expect((await kms()).has(agency.writerAddress)).toBe(false);
  // A writer compromise does not touch signing: issuance goes on.
  expect((await issue(4)).status).toBe(201);
});

test('a routine rotation never revokes', async () => {
  const { opened } = await ownerRuns({});
  expect(opened.body.reason).toBe('rotation');
  expect(opened.body.calls.map((c: { method: string }) => c.method)).not.toContain('revokeAttribute');
  expect(opened.body.calls.map((c: { method: string }) => c.method)).not.toContain('revokeDelegate');
});
