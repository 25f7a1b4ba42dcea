import { PrivateKeyStore, Entities, migrations } from '@veramo/data-store';
import { SecretBox } from '@veramo/kms-local';
import { Contract, Transaction, computeAddress, encodeBytes32String } from 'ethers';
import { DataSource } from 'typeorm';
import { ERC1056_ABI, SIGNING_KEY_ATTRIBUTE, STATUS_WRITER_DELEGATE, createDidResolver } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { chainClockOffsetMs, post, startTestVerifier, waitForMirrors } from '../support/verifier.js';
import { ecKey } from '../support/sd-jwt-fixtures.js';
import { CLAIMS, holderDid, issueRequest } from './claims.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// Agency creation with split key roles: governance owns the identity, the issuer holds only a signing key (an
// ERC-1056 attribute, the `kid` of every credential) and a status writer (a delegate StatusRegistry accepts).
let h: IssuerHarness;
let verifier: RunningVerifier;
let agency: CreatedAgency & { client: Client };
type Verified = { verified: boolean; problems: Array<{ code: string }> };

beforeAll(async () => {
  h = await startHarness();
  agency = await h.createAgency(['NationalIdCredential', 'PropertyCredential']);
  const offset = await chainClockOffsetMs(h.fixture.provider);
  verifier = await startTestVerifier(h.fixture, {}, { now: () => new Date(Date.now() + offset) });
});
afterAll(async () => {
  await verifier?.close();
  await h?.close();
});

/** Every private key in the issuer's KMS, as Ethereum addresses (read back with the KMS secret). */
async function kmsAddresses(): Promise<string[]> {
  const ds = new DataSource({ type: 'better-sqlite3', database: h.config.ISSUER_SQLITE_PATH, entities: Entities, migrations, migrationsRun: false });
  await ds.initialize();
  try {
    const store = new PrivateKeyStore(ds, new SecretBox(h.config.ISSUER_KMS_SECRET));
    const keys = await Promise.all((await store.listKeys()).map((k) => store.getKey({ alias: k.alias })));
    return keys.map((k) => computeAddress(`0x${k.privateKeyHex}`));
  } finally {
    await ds.destroy();
  }
}

const verify = async (credential: string) => {
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  return (await post<Verified>(`${verifier.url}/credentials/verify`, { verifiableCredential: credential })).body;
};

test('creation hands the identity to governance and leaves no owner key in the KMS', async () => {
  const dids = new Contract(h.fixture.didRegistry, ERC1056_ABI, h.fixture.provider);
  expect(await dids.getFunction('identityOwner')(agency.identityAddress)).toBe(agency.ownerAddress);
  expect(await dids.getFunction('validDelegate')(agency.identityAddress, encodeBytes32String(STATUS_WRITER_DELEGATE), agency.writerAddress)).toBe(true);
  const addresses = await kmsAddresses();
  expect(addresses).toEqual(expect.arrayContaining([agency.keyAddress, agency.writerAddress]));
  expect(addresses).not.toContain(agency.identityAddress);
  expect(addresses).not.toContain(agency.ownerAddress);
  // Three distinct keys, none of them the owner.
  expect(new Set([agency.identityAddress, agency.keyAddress, agency.writerAddress, agency.ownerAddress]).size).toBe(4);

  // The signing key is in the DID document as a public key the credentials name; the writer is not.
  const { didDocument } = await createDidResolver({ chainId: 31337, rpcUrl: h.config.CHAIN_RPC_URL, didRegistry: h.config.DID_REGISTRY }).resolve(agency.did);
  const method = didDocument!.verificationMethod!.find((m) => m.id === agency.signingKeyId);
  expect(agency.signingKeyId).toMatch(new RegExp(`^${agency.did}#delegate-\\d+$`));
  expect(method?.type).toBe('EcdsaSecp256k1VerificationKey2019');
  expect(computeAddress(`0x${method!.publicKeyHex}`)).toBe(agency.keyAddress);
  expect(didDocument!.assertionMethod).toContain(agency.signingKeyId);
  expect(JSON.stringify(didDocument).toLowerCase()).not.toContain(agency.writerAddress.slice(2).toLowerCase());
  expect(SIGNING_KEY_ATTRIBUTE).toBe('did/pub/Secp256k1/veriKey/hex');
});

test('a JWT VC is signed by the signing key, names it in its kid, and verifies through the verifier', async () => {
  const res = await agency.client.post('/credentials/issue', issueRequest('NationalIdCredential', holderDid(1)));
  expect(res.status).toBe(201);
  const jwt = res.body.verifiableCredential as string;
  expect(decodeJwt(jwt).header).toMatchObject({ alg: 'ES256K', kid: agency.signingKeyId });
  const result = await verify(jwt);
  expect(result.problems).toEqual([]);
  expect(result.verified).toBe(true);
});

test('an SD-JWT VC names the signing key too and verifies through the verifier', async () => {
  const holder = ecKey('P-256');
  const res = await agency.client.post('/credentials/issue', {
    credential: { type: ['VerifiableCredential', 'NationalIdCredential'], credentialSubject: CLAIMS.NationalIdCredential },
    options: { format: 'dc+sd-jwt', holderJwk: holder.jwk },
  });
  expect(res.status).toBe(201);
  const sdJwt = res.body.verifiableCredential as string;
  expect(decodeJwt(sdJwt.split('~')[0]).header).toMatchObject({ kid: agency.signingKeyId });
  const result = await verify(sdJwt);
  expect(result.problems).toEqual([]);
  expect(result.verified).toBe(true);
});

test('status writes are sent by the writer key, not by the signing key', async () => {
  const issued = await agency.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(2)));
  expect(issued.status).toBe(201);
  const { jti } = decodeJwt(issued.body.verifiableCredential).payload as { jti: string };
  const change = await agency.client.post('/credentials/status', { credentialId: jti, action: 'suspend' });
  expect(change.status).toBe(202);
  const done = await waitFor(async () => {
    const r = await agency.client.get(`/credentials/status/${change.body.id}`);
    return r.body.state === 'anchored' ? r.body : undefined;
  });
  const tx = await h.fixture.provider.getTransaction(done.txHash);
  expect(Transaction.from(tx!).from).toBe(agency.writerAddress);
  const result = await verify(issued.body.verifiableCredential);
  expect(result.problems.map((p) => p.code)).toContain('credential_suspended');
});

test('the issuer cannot rotate by changeOwner any more: it holds no owner key', async () => {
  const res = await h.admin.post(`/admin/agencies/${agency.id}/rotate-key`);
  expect(res.status).toBe(409);
  expect(res.body.code).toBe('owner_signature_required');
});
