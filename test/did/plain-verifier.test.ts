/**
 * Issue 15, finding 1, with a plain did:ethr verifier (did-jwt-vc + ethr-did-resolver, the latest document, no
 * `?versionId`): credentials signed by the owner key stop verifying once the owner changes, but credentials
 * signed by ERC-1056 attribute keys (`did/pub/Secp256k1/veriKey/hex`, header `kid` = `#delegate-N`) keep
 * verifying through a second key and two owner changes. Keys set up with ethers directly against the registry.
 */
import { ES256KSigner } from 'did-jwt';
import { createVerifiableCredentialJwt, verifyCredential } from 'did-jwt-vc';
import { Wallet, getBytes } from 'ethers';
import { createDidResolver, ethrDid } from '../../libs/credentials/src/index.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';
import { VERI_KEY_HEX, bytes32, Erc1056 } from '../support/erc1056.js';

const YEAR = 365 * 86_400;
let f: Fixture;
beforeAll(async () => {
  f = await deployFixture();
});
afterAll(() => f?.provider.destroy());

/** A credential of `did`, signed by `key` with header `kid`, as did-jwt-vc makes it. */
function sign(did: string, key: Wallet, kid: string): Promise<string> {
  const credential = {
    sub: ethrDid(31337, Wallet.createRandom().address),
    nbf: Math.floor(Date.now() / 1000) - 60,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'EducationCredential'],
      credentialSubject: { degree: 'Bachelor of Laws' },
    },
  };
  return createVerifiableCredentialJwt(credential, { did, signer: ES256KSigner(getBytes(key.privateKey)), alg: 'ES256K' }, { header: { alg: 'ES256K', kid } });
}

test('attribute-key credentials verify with a plain verifier before and after two owner changes; owner-signed ones do not', async () => {
  const owner = await fundedWallet(f.provider);
  const did = ethrDid(f.chainId, owner.address);
  const registry = new Erc1056(f.didRegistry, owner.address);
  const plain = createDidResolver({ chainId: f.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: f.didRegistry });
  const verified = async (jwt: string) => (await verifyCredential(jwt, plain).then(() => true, () => false));

  const ownerSigned = await sign(did, owner, `${did}#controller`);
  const [first, second] = [new Wallet(Wallet.createRandom().privateKey), new Wallet(Wallet.createRandom().privateKey)];
  await (await registry.send(owner, 'setAttribute', [bytes32(VERI_KEY_HEX), first.signingKey.compressedPublicKey, 10 * YEAR])).wait();
  const byFirst = await sign(did, first, `${did}#delegate-1`);
  expect(await verified(byFirst)).toBe(true);
  expect(await verified(ownerSigned)).toBe(true);

  // A second signing key (a new one: ids are positional, a key is never set twice), then the owner moves twice.
  await (await registry.send(owner, 'setAttribute', [bytes32(VERI_KEY_HEX), second.signingKey.compressedPublicKey, 10 * YEAR])).wait();
  const bySecond = await sign(did, second, `${did}#delegate-2`);
  const [owner2, owner3] = [await fundedWallet(f.provider), await fundedWallet(f.provider)];
  await (await registry.send(owner, 'changeOwner', [owner2.address])).wait();
  await (await registry.send(owner2, 'changeOwner', [owner3.address])).wait();

  const document = (await plain.resolve(did)).didDocument!;
  expect(document.verificationMethod!.map((m) => m.id)).toEqual([`${did}#controller`, `${did}#delegate-1`, `${did}#delegate-2`]);
  expect(document.verificationMethod![0].blockchainAccountId).toBe(`eip155:${f.chainId}:${owner3.address}`);
  expect(await verified(byFirst)).toBe(true);
  expect(await verified(bySecond)).toBe(true);
  // Finding 1 as it was: what the former owner key signed no longer verifies against the latest document.
  expect(await verified(ownerSigned)).toBe(false);
});
