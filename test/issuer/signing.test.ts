import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Entities, migrations, PrivateKeyStore } from '@veramo/data-store';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { verifyCredential } from 'did-jwt-vc';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import type { IssuerConfig } from '../../apps/issuer/src/config/issuer.config.js';
import { CachingKeyManagementSystem } from '../../apps/issuer/src/veramo/caching-kms.js';
import { VeramoService } from '../../apps/issuer/src/veramo/veramo.service.js';
import { buildCredential, createDidResolver, ethrDid, jwtVcProvider, schemaReference, statusEntries } from '../../libs/credentials/src/index.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { CLAIMS, holderDid } from './claims.js';
import { tempDir } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';

// The issuer's signing path: the KMS that keeps signers in memory, and VeramoService.signJws without the
// agent's per-credential lookups, against Veramo's own KMS and agent on a real SQLite file and the test chain.
const temp = tempDir();
const secret = randomBytes(32).toString('hex');
let fixture: Fixture;
let dataSource: DataSource;
let veramo: VeramoService;

beforeAll(async () => {
  fixture = await deployFixture();
  dataSource = new DataSource(
    dataSourceOptions({ sqlitePath: path.join(temp.dir, 'keys.sqlite'), entities: Entities, migrations }),
  );
  await dataSource.initialize();
  const config = {
    CHAIN_ID: fixture.chainId,
    CHAIN_RPC_URL: process.env.GOVCRED_TEST_RPC_URL!,
    DID_REGISTRY: fixture.didRegistry,
    ISSUER_KMS_SECRET: secret,
  } as IssuerConfig;
  veramo = new VeramoService(dataSource, config);
});

afterAll(async () => {
  await dataSource.destroy();
  fixture.provider.destroy();
  temp.remove();
});

function credential(issuerDid: string, owner: string) {
  return buildCredential({
    type: 'NationalIdCredential',
    id: `urn:uuid:${randomUUID()}`,
    issuerDid,
    subjectDid: holderDid(1),
    claims: CLAIMS.NationalIdCredential,
    schema: schemaReference('NationalIdCredential'),
    status: statusEntries({
      chainId: fixture.chainId,
      statusRegistry: fixture.statusRegistry,
      owner,
      revocationListId: 1n,
      suspensionListId: 2n,
      index: 4242,
    }),
    issuanceDate: new Date(),
  });
}

test('the caching KMS signs byte for byte as kms-local, from keys encrypted at rest', async () => {
  const store = new PrivateKeyStore(dataSource, new SecretBox(secret));
  const reference = new KeyManagementSystem(store);
  const caching = new CachingKeyManagementSystem(store);
  const privateKeyHex = randomBytes(32).toString('hex');
  const key = await caching.importKey({ kid: 'k1', type: 'Secp256k1', privateKeyHex });
  for (const text of ['a.b', 'header.payload-with-ünïcode', 'x'.repeat(3000)]) {
    const data = Buffer.from(text, 'utf8');
    const expected = await reference.sign({ keyRef: { kid: key.kid }, algorithm: 'ES256K', data });
    expect(await caching.sign({ keyRef: { kid: key.kid }, algorithm: 'ES256K', data })).toBe(expected);
    expect(await caching.sign({ keyRef: { kid: key.kid }, data })).toBe(expected); // ES256K by default
  }
  // At rest the key is encrypted: the stored row holds no clear key, and another secret cannot open it.
  const rows = (await dataSource.query("SELECT privateKeyHex FROM `private-key` WHERE alias = 'k1'")) as Array<{ privateKeyHex: string }>;
  expect(rows[0].privateKeyHex).not.toContain(privateKeyHex);
  const withOtherSecret = await new PrivateKeyStore(dataSource, new SecretBox(randomBytes(32).toString('hex'))).getKey({ alias: 'k1' }).catch(() => undefined);
  expect(withOtherSecret?.privateKeyHex).not.toBe(privateKeyHex);
  // A deleted key no longer signs, even though its signer had been cached.
  await caching.deleteKey({ kid: 'k1' });
  await expect(caching.sign({ keyRef: { kid: 'k1' }, algorithm: 'ES256K', data: Buffer.from('a.b') })).rejects.toThrow(/key_not_found/);
});

test('the jwt_vc_json provider, signing through signJws with the owner key (no kid), makes the JWT the Veramo agent makes', async () => {
  const { key, address } = await veramo.createKey();
  const did = ethrDid(fixture.chainId, address);
  await veramo.registerIdentifier(did, key);
  const unsigned = credential(did, address);
  const viaProvider = () =>
    jwtVcProvider.issue({
      type: unsigned.type[1]!,
      id: unsigned.id,
      issuerDid: did,
      signer: (input) => veramo.signJws(did, key.kid, input),
      holder: { did: unsigned.credentialSubject.id },
      claims: (({ id: _id, ...claims }) => claims)(unsigned.credentialSubject),
      statusEntries: unsigned.credentialStatus,
      now: new Date(unsigned.issuanceDate),
    });
  let issued = await viaProvider();
  let agent = await veramo.signCredentialWithAgent(unsigned, key.kid);
  if (decodeJwt(issued.credential).payload.iat !== decodeJwt(agent).payload.iat) {
    // Signed across a second boundary (iat is the signing second): sign both again.
    issued = await viaProvider();
    agent = await veramo.signCredentialWithAgent(unsigned, key.kid);
  }
  // Same header, payload and (deterministic, RFC 6979, low-s) signature.
  expect(issued.credential).toBe(agent);
  expect([issued.issuedAt, issued.expiresAt]).toEqual([unsigned.issuanceDate, null]);
  expect(decodeJwt(issued.credential).header).toEqual({ alg: 'ES256K', typ: 'JWT' });
  const verified = await verifyCredential(issued.credential, createDidResolver({ chainId: fixture.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: fixture.didRegistry }) as never);
  expect(verified.issuer).toBe(did);
  expect(verified.payload.vc.credentialSubject.name).toBe(CLAIMS.NationalIdCredential.name);
});

test('signJws refuses a key that is not a key of the issuer DID', async () => {
  const a = await veramo.createKey();
  const b = await veramo.createKey();
  const did = ethrDid(fixture.chainId, a.address);
  await veramo.registerIdentifier(did, a.key);
  await expect(veramo.signJws(did, b.key.kid, 'e30.e30')).rejects.toThrow(/not a key of/);
  await expect(veramo.signJws(ethrDid(fixture.chainId, b.address), b.key.kid, 'e30.e30')).rejects.toThrow();
});
