import { verifyCredential } from 'did-jwt-vc';
import type { Resolvable } from 'did-resolver';
import { randomUUID } from 'node:crypto';
import { Contract, Transaction, Wallet } from 'ethers';
import { DID_REGISTRY_ABI, StatusMirror, TrustRegistryClient, createDidResolver } from '../../libs/credentials/src/index.js';
import { startPrivateChain, type PrivateChain } from '../support/private-chain.js';
import { holderDid, issueRequest } from './claims.js';
import { tempDir, startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';
import path from 'node:path';

// This file runs its own chain: it compares credential issuance times with block times of a key rotation, and
// other test files may move the shared chain's clock ahead.
let chain: PrivateChain;
let h: IssuerHarness;
let agency: CreatedAgency & { client: Client; owner: Wallet };
const temp = tempDir();

beforeAll(async () => {
  chain = await startPrivateChain();
  h = await startHarness({ fixture: chain.fixture, sqlitePath: path.join(temp.dir, 'issuer.sqlite'), env: { CHAIN_RPC_URL: chain.url } });
  agency = await h.createAgency(['NationalIdCredential']);
});

afterAll(async () => {
  await h?.close();
  await chain?.stop();
  temp.remove();
});

const latestResolver = (): Resolvable => createDidResolver({ chainId: 31337, rpcUrl: chain.url, didRegistry: chain.fixture.didRegistry });

/**
 * The last block mined at or before `unixSeconds` (binary search over block timestamps). ethr-did-resolver
 * 11.0.4 ignores `?versionTime=` but pins a document to a block with `?versionId=<block>`.
 */
async function blockAt(unixSeconds: number): Promise<number> {
  const p = chain.fixture.provider;
  const time = async (n: number) => (await p.getBlock(n))!.timestamp;
  let hi = await p.getBlockNumber();
  if ((await time(hi)) <= unixSeconds) return hi;
  let lo = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await time(mid)) <= unixSeconds) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Resolves every DID as it was at `block`: the issuer's keys when it signed. */
function resolverAt(block: number): Resolvable {
  const base = latestResolver();
  return { resolve: (didUrl, options) => base.resolve(didUrl.includes('?') ? didUrl : `${didUrl}?versionId=${block}`, options) };
}

/** Verifies a JWT VC against the issuer's DID document as of its issuance time (nbf). */
async function verifyAtIssuance(jwt: string) {
  const nbf = decodeJwt(jwt).payload.nbf as number;
  return verifyCredential(jwt, resolverAt(await blockAt(nbf)));
}

async function issue(i: number): Promise<string> {
  const res = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(i)));
  expect(res.status).toBe(201);
  return res.body.verifiableCredential;
}

/** A rotation as governance does it: open, sign every hash with the owner key offline, relay the signatures. */
async function rotate(role: 'signing' | 'writer' = 'signing') {
  const opened = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, { role });
  expect(opened.status).toBe(200);
  expect(opened.body.state).toBe('awaiting_signatures');
  expect(opened.body.ownerAddress).toBe(agency.ownerAddress);
  const signatures = opened.body.calls.map((c: { hash: string }) => agency.owner.signingKey.sign(c.hash).serialized);
  const done = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations/${opened.body.id}/signatures`, { signatures });
  expect(done.status).toBe(200);
  expect(done.body.state).toBe('done');
  return { opened: opened.body, done: done.body, signatures };
}

test('credentials from before and after two rotations verify with a plain verifier and at issuance', async () => {
  const jwts = [await issue(1)];
  const kids = [agency.signingKeyId];
  for (let round = 0; round < 2; round++) {
    const { done } = await rotate();
    expect(done.signingKeyId).not.toBe(kids[kids.length - 1]);
    kids.push(done.signingKeyId);
    // The new key signs only from its activation time on (its block time: no credential predates its key).
    await waitFor(async () => Date.now() >= Date.parse(done.keyActiveFrom) + 1100, 20_000, 50);
    jwts.push(await issue(2 + round));
  }
  expect(jwts.map((jwt) => decodeJwt(jwt).header.kid)).toEqual(kids);
  // The owner never changed, and the old keys stay listed: a plain did:ethr verifier (no versionId) accepts all.
  const registry = new Contract(chain.fixture.didRegistry, DID_REGISTRY_ABI, chain.fixture.provider);
  expect(await registry.getFunction('identityOwner')(agency.identityAddress)).toBe(agency.ownerAddress);
  for (const jwt of jwts) {
    expect((await verifyCredential(jwt, latestResolver())).verified).toBe(true);
    expect((await verifyAtIssuance(jwt)).verified).toBe(true);
  }
  const me = await agency.client.get('/agency');
  expect(me.body.signingKeyId).toBe(kids[2]);
});

test('the old private keys are deleted once the new key signs; the keys stay listed', async () => {
  await issue(9); // a signature after activation retires the previous key
  const keys = await waitFor(async () => {
    const r = await h.admin.get(`/admin/agencies/${agency.id}/keys`);
    const signing = r.body.filter((k: { role: string }) => k.role === 'signing');
    return signing.filter((k: { held: boolean }) => k.held).length === 1 ? signing : undefined;
  });
  expect(keys.map((k: { state: string }) => k.state)).toEqual(['retired', 'retired', 'active']);
  const { didDocument } = await latestResolver().resolve(agency.did);
  for (const k of keys) expect(didDocument!.assertionMethod).toContain(k.kid);
});

test('a rotation is idempotent: asked twice it answers the same hashes; relayed twice, the same result', async () => {
  const first = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, {});
  const again = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations`, {});
  expect(again.body).toEqual(first.body);
  // A signature by anyone but the owner is refused, and nothing is sent.
  const stranger = Wallet.createRandom();
  const forged = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations/${first.body.id}/signatures`, {
    signatures: first.body.calls.map((c: { hash: string }) => stranger.signingKey.sign(c.hash).serialized),
  });
  expect(forged.status).toBe(400);
  expect(forged.body.code).toBe('owner_signature_invalid');
  const signatures = first.body.calls.map((c: { hash: string }) => agency.owner.signingKey.sign(c.hash).serialized);
  const url = `/admin/agencies/${agency.id}/keys/rotations/${first.body.id}/signatures`;
  const done = await h.admin.post(url, { signatures });
  const replay = await h.admin.post(url, { signatures });
  expect(replay.status).toBe(200);
  expect(replay.body).toEqual(done.body);
  const unknown = await h.admin.post(`/admin/agencies/${agency.id}/keys/rotations/${randomUUID()}/signatures`, { signatures });
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('key_operation_not_found');
});

test('writer renewal: status changes are then sent by the new writer; the issuer never held the owner key', async () => {
  const { done } = await rotate('writer');
  expect(done.writerAddress).not.toBe(agency.writerAddress);
  const jwt = await issue(5);
  const { jti, vc } = decodeJwt(jwt).payload as { jti: string; vc: { credentialStatus: Array<{ statusListIndex: string }> } };
  const res = await agency.client.post('/credentials/status', { credentialId: jti, action: 'revoke' });
  expect(res.status).toBe(202);
  const anchored = await waitFor(async () => {
    const r = await agency.client.get(`/credentials/status/${res.body.id}`);
    return r.body.state === 'anchored' ? r.body : undefined;
  });
  const tx = await chain.fixture.provider.getTransaction(anchored.txHash);
  expect(Transaction.from(tx!).from).toBe(done.writerAddress);
  const mirror = new StatusMirror({ provider: chain.fixture.provider, registry: chain.fixture.statusRegistry, chainId: 31337 });
  await mirror.sync();
  expect(mirror.lookup(agency.identityAddress, 1, Number(vc.credentialStatus[0].statusListIndex))).toBe('revoked');
});

test('without a governance key the accreditation comes back as transactions for governance to submit', async () => {
  const dir = tempDir();
  const production = await startHarness({
    fixture: chain.fixture,
    sqlitePath: path.join(dir.dir, 'issuer.sqlite'),
    env: { CHAIN_RPC_URL: chain.url, GOVERNANCE_PRIVATE_KEY: '' },
  });
  try {
    const created = await production.createAgency(['EducationCredential', 'PropertyCredential']);
    expect(created.accreditation.submitted).toBe(false);
    expect(created.accreditation.transactions).toHaveLength(2);
    const trust = new TrustRegistryClient(chain.fixture.trustRegistry, chain.fixture.provider);
    const now = Math.floor(Date.now() / 1000) + 2;
    expect(await trust.isAccredited(created.identityAddress, 'EducationCredential', now)).toBe(false);
    for (const tx of created.accreditation.transactions) {
      await (await chain.fixture.governance.sendTransaction({ to: tx.to, data: tx.data })).wait();
    }
    expect(await trust.isAccredited(created.identityAddress, 'EducationCredential', now)).toBe(true);
    expect(await trust.isAccredited(created.identityAddress, 'PropertyCredential', now)).toBe(true);
  } finally {
    await production.close();
    dir.remove();
  }
});
