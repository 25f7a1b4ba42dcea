import { ES256KSigner, createJWT, verifyJWT } from 'did-jwt';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { Wallet, getBytes } from 'ethers';
import { ethrDid } from '../did/resolver.js';
import { NativeSignatureVerifier } from './native-signature.js';

const randomWallet = () => new Wallet(Wallet.createRandom().privateKey);
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function documentOf(wallet: Wallet, extraKeyHex?: string): DIDResolutionResult {
  const did = ethrDid(31337, wallet.address);
  return {
    didResolutionMetadata: {},
    didDocumentMetadata: {},
    didDocument: {
      id: did,
      verificationMethod: [
        { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${wallet.address}` },
        ...(extraKeyHex ? [{ id: `${did}#key-1`, type: 'EcdsaSecp256k1VerificationKey2019', controller: did, publicKeyHex: extraKeyHex }] : []),
      ],
      authentication: [`${did}#controller`, ...(extraKeyHex ? [`${did}#key-1`] : [])],
      assertionMethod: [`${did}#controller`],
    },
  };
}

const sign = (wallet: Wallet, issuer: string) => createJWT({ iss: issuer, sub: 'x' }, { issuer, signer: ES256KSigner(getBytes(wallet.privateKey)) }, { alg: 'ES256K' });
const header = { alg: 'ES256K', typ: 'JWT' };
const resolverOf = (doc: DIDResolutionResult): Resolvable => ({ resolve: async () => doc });

test('address-only signers: did-jwt first, then natively once the key is learned; forgeries are never accepted', async () => {
  const wallet = randomWallet();
  const doc = documentOf(wallet);
  const jwt = await sign(wallet, doc.didDocument!.id);
  const native = new NativeSignatureVerifier();
  expect(native.verify(jwt, header, doc, 'assertionMethod')).toBeUndefined(); // key not known yet
  const verified = await verifyJWT(jwt, { resolver: resolverOf(doc), policies: { aud: false } });
  native.learn(jwt, verified.signer);
  expect(native.size).toBe(1);
  expect(native.verify(jwt, header, doc, 'assertionMethod')).toBe(`${doc.didDocument!.id}#controller`);
  expect(native.verify(await sign(wallet, doc.didDocument!.id), header, doc, 'authentication')).toBe(`${doc.didDocument!.id}#controller`);

  // Another key signing for this DID, a flipped signature byte, another algorithm, a short signature: not accepted.
  expect(native.verify(await sign(randomWallet(), doc.didDocument!.id), header, doc, 'assertionMethod')).toBeUndefined();
  const [h, p, s] = jwt.split('.');
  const bytes = Buffer.from(s, 'base64url');
  bytes[10] ^= 1;
  expect(native.verify(`${h}.${p}.${bytes.toString('base64url')}`, header, doc, 'assertionMethod')).toBeUndefined();
  expect(native.verify(jwt, { alg: 'ES256K-R' }, doc, 'assertionMethod')).toBeUndefined();
  expect(native.verify(`${h}.${p}.${bytes.subarray(0, 63).toString('base64url')}`, header, doc, 'assertionMethod')).toBeUndefined();
  // A document whose purpose does not list the key.
  const noAssertion = structuredClone(doc);
  noAssertion.didDocument!.assertionMethod = [];
  expect(native.verify(jwt, header, noAssertion, 'assertionMethod')).toBeUndefined();
});

test('high-s signatures: accepted natively exactly as did-jwt accepts them', async () => {
  const wallet = randomWallet();
  const doc = documentOf(wallet);
  const jwt = await sign(wallet, doc.didDocument!.id);
  const [h, p, s] = jwt.split('.');
  const raw = Buffer.from(s, 'base64url');
  const high = (N - BigInt(`0x${raw.subarray(32).toString('hex')}`)).toString(16).padStart(64, '0');
  const flipped = `${h}.${p}.${Buffer.concat([raw.subarray(0, 32), Buffer.from(high, 'hex')]).toString('base64url')}`;
  const byDidJwt = await verifyJWT(flipped, { resolver: resolverOf(doc), policies: { aud: false } });
  const native = new NativeSignatureVerifier();
  native.learn(jwt, byDidJwt.signer);
  expect(native.verify(flipped, header, doc, 'assertionMethod')).toBe(byDidJwt.signer.id);
});

test('publicKeyHex methods verify natively without learning', async () => {
  const holder = randomWallet();
  const extra = randomWallet();
  const doc = documentOf(holder, extra.signingKey.compressedPublicKey.slice(2));
  const jwt = await sign(extra, doc.didDocument!.id);
  const native = new NativeSignatureVerifier();
  expect(native.verify(jwt, header, doc, 'authentication')).toBe(`${doc.didDocument!.id}#key-1`);
  expect(native.verify(jwt, header, doc, 'assertionMethod')).toBeUndefined(); // not an assertion key
  await expect(verifyJWT(jwt, { resolver: resolverOf(doc), proofPurpose: 'authentication', policies: { aud: false } })).resolves.toBeDefined();
});
