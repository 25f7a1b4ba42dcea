import { verifyCredential } from 'did-jwt-vc';
import type { Resolvable } from 'did-resolver';
import { Contract, Transaction } from 'ethers';
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
let agency: CreatedAgency & { client: Client };
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

test('a rotated key signs new credentials while credentials issued before keep verifying', async () => {
  const before = await issue(1);
  expect((await verifyCredential(before, latestResolver())).verified).toBe(true);

  const rotated = await h.admin.post(`/admin/agencies/${agency.id}/rotate-key`);
  expect(rotated.status).toBe(200);
  expect(rotated.body.did).toBe(agency.did);
  expect(rotated.body.previousKeyAddress).toBe(agency.keyAddress);
  expect(rotated.body.keyAddress).not.toBe(agency.keyAddress);
  const registry = new Contract(chain.fixture.didRegistry, DID_REGISTRY_ABI, chain.fixture.provider);
  expect(await registry.getFunction('identityOwner')(agency.identityAddress)).toBe(rotated.body.keyAddress);
  const me = await agency.client.get('/agency');
  expect(me.body).toMatchObject({ did: agency.did, keyAddress: rotated.body.keyAddress });

  // Credentials issued from the rotation's block time on are signed with the new key.
  const activeFrom = Date.parse(rotated.body.keyActiveFrom);
  await waitFor(async () => Date.now() >= activeFrom + 1100, 20_000, 50);
  const after = await issue(2);
  expect(decodeJwt(after).payload.iss).toBe(agency.did);

  // Against the current DID document only the new key verifies …
  expect((await verifyCredential(after, latestResolver())).verified).toBe(true);
  await expect(verifyCredential(before, latestResolver())).rejects.toThrow(/signature/i);
  // … and against the document as of each credential's issuance time, both do.
  expect((await verifyAtIssuance(before)).verified).toBe(true);
  expect((await verifyAtIssuance(after)).verified).toBe(true);
});

test('status changes after a rotation are anchored with the new key (the identity keeps its lists)', async () => {
  const jwt = await issue(3);
  const { jti, vc } = decodeJwt(jwt).payload as { jti: string; vc: { credentialStatus: Array<{ statusListIndex: string }> } };
  const res = await agency.client.post('/credentials/status', { credentialId: jti, action: 'revoke' });
  expect(res.status).toBe(202);
  const done = await waitFor(async () => {
    const r = await agency.client.get(`/credentials/status/${res.body.id}`);
    return r.body.state === 'anchored' ? r.body : undefined;
  });
  const tx = await chain.fixture.provider.getTransaction(done.txHash);
  const me = await agency.client.get('/agency');
  expect(Transaction.from(tx!).from).toBe(me.body.keyAddress);
  const mirror = new StatusMirror({ provider: chain.fixture.provider, registry: chain.fixture.statusRegistry, chainId: 31337 });
  await mirror.sync();
  expect(mirror.lookup(agency.identityAddress, 1, Number(vc.credentialStatus[0].statusListIndex))).toBe('revoked');
});

test('a second rotation works too, and the first key no longer signs anything', async () => {
  const first = await h.admin.post(`/admin/agencies/${agency.id}/rotate-key`);
  const second = await h.admin.post(`/admin/agencies/${agency.id}/rotate-key`);
  expect(second.status).toBe(200);
  expect(second.body.previousKeyAddress).toBe(first.body.keyAddress);
  await waitFor(async () => Date.now() >= Date.parse(second.body.keyActiveFrom) + 1100, 20_000, 50);
  const jwt = await issue(4);
  expect((await verifyCredential(jwt, latestResolver())).verified).toBe(true);
  expect((await verifyAtIssuance(jwt)).verified).toBe(true);
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
