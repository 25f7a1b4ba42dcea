import { randomBytes } from 'node:crypto';
import { ES256KSigner } from 'did-jwt';
import { SigningKey, Wallet, computeAddress, getBytes, hexlify } from 'ethers';
import { es256kRecoverCandidates, es256kRecoverKeyOf, es256kSigner, es256kVerify, nativeSecp256k1, secp256k1Point } from './secp256k1.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const point = (wallet: { privateKey: string }) => getBytes(SigningKey.computePublicKey(wallet.privateKey, false));
const highS = (signature: Buffer) => {
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  return Buffer.concat([signature.subarray(0, 32), Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex')]);
};

test('libsecp256k1 runs natively here (the prebuilt binding loads)', () => {
  expect(nativeSecp256k1).toBe(true);
});

test('signatures are byte for byte did-jwt’s ES256KSigner’s (RFC 6979, low s), for strings (UTF-8) and bytes', async () => {
  for (let i = 0; i < 40; i++) {
    const wallet = Wallet.createRandom();
    const input = i % 2 ? `eyJhbGciOiJFUzI1NksifQ.${randomBytes(60 + i).toString('base64url')}中文` : randomBytes(1 + i * 7);
    const ours = es256kSigner(getBytes(wallet.privateKey))(input);
    expect(ours).toBe(await ES256KSigner(getBytes(wallet.privateKey))(input));
    expect(es256kVerify(point(wallet), input, Buffer.from(ours, 'base64url'))).toBe(true);
  }
});

test('checks: a high-s twin is accepted (as did-jwt does); another key, another input or an edited signature is not', () => {
  const wallet = Wallet.createRandom();
  const input = 'header.payload';
  const signature = Buffer.from(es256kSigner(getBytes(wallet.privateKey))(input), 'base64url');
  expect(es256kVerify(point(wallet), input, highS(signature))).toBe(true);
  expect(es256kVerify(point(Wallet.createRandom()), input, signature)).toBe(false);
  expect(es256kVerify(point(wallet), `${input}.`, signature)).toBe(false);
  const edited = Buffer.from(signature);
  edited[40] ^= 1;
  expect(es256kVerify(point(wallet), input, edited)).toBe(false);
});

test('hostile signatures and keys answer false or undefined, never throw', () => {
  const wallet = Wallet.createRandom();
  const key = point(wallet);
  const n = Buffer.from(N.toString(16), 'hex');
  for (const signature of [Buffer.alloc(64), Buffer.alloc(63, 1), Buffer.alloc(65, 1), Buffer.concat([n, n]), Buffer.alloc(64, 0xff), Buffer.concat([Buffer.alloc(32, 1), Buffer.alloc(32)])]) {
    expect(es256kVerify(key, 'x', signature)).toBe(false);
    expect(() => es256kRecoverCandidates('x', signature)).not.toThrow();
  }
  expect(secp256k1Point(Buffer.alloc(65, 4))).toBeUndefined(); // not on the curve
  expect(secp256k1Point(Buffer.alloc(20))).toBeUndefined();
  expect(() => es256kSigner(Buffer.alloc(32))).toThrow(); // zero is no private key
  expect(() => es256kSigner(Buffer.from(n))).toThrow();
});

test('a compressed key is the same point; recovery finds the signer’s key among its two candidates', () => {
  const wallet = Wallet.createRandom();
  const compressed = getBytes(SigningKey.computePublicKey(wallet.privateKey, true));
  expect(hexlify(secp256k1Point(compressed)!)).toBe(hexlify(point(wallet)));
  for (let i = 0; i < 10; i++) {
    const input = randomBytes(40).toString('base64url');
    const signature = Buffer.from(es256kSigner(getBytes(wallet.privateKey))(input), 'base64url');
    for (const candidates of [es256kRecoverCandidates(input, signature), es256kRecoverCandidates(input, highS(signature))]) {
      expect(candidates.map((c) => computeAddress(hexlify(c)))).toContain(wallet.address);
    }
    expect(hexlify(es256kRecoverKeyOf(wallet.address.toLowerCase(), input, highS(signature))!)).toBe(hexlify(point(wallet)));
    expect(es256kRecoverKeyOf(Wallet.createRandom().address, input, signature)).toBeUndefined();
  }
});
