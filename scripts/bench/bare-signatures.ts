import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { SigningKey, getBytes, type Wallet } from 'ethers';
import { es256kVerify } from '../../libs/credentials/src/crypto/secp256k1.js';
import { round } from './stats.js';

/** A compact JWT split into what its ES256K signature covers and the r‖s signature. */
function signed(jwt: string): { input: string; signature: Buffer } {
  const dot = jwt.lastIndexOf('.');
  return { input: jwt.slice(0, dot), signature: Buffer.from(jwt.slice(dot + 1), 'base64url') };
}

/** The two ways of checking a signature timed here, with the public key in hand. */
const CHECKERS = {
  /** What the verifier service checks with (libs/credentials/src/crypto/secp256k1.ts). */
  libsecp256k1: (wallet: Wallet) => {
    const point = getBytes(SigningKey.computePublicKey(wallet.privateKey, false));
    return (jwt: string) => {
      const { input, signature } = signed(jwt);
      return es256kVerify(point, input, signature);
    };
  },
  /** node:crypto (OpenSSL), for comparison. */
  nodeCrypto: (wallet: Wallet) => {
    const point = Buffer.from(SigningKey.computePublicKey(wallet.privateKey, false).slice(4), 'hex');
    const key: KeyObject = createPublicKey({
      key: { kty: 'EC', crv: 'secp256k1', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') },
      format: 'jwk',
    });
    return (jwt: string) => {
      const { input, signature } = signed(jwt);
      return verify('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, signature);
    };
  },
};

/**
 * CPU time of the bare signature checks of one presentation — the VP-JWT's (holder key) and its credential's
 * (agency key) — with the public keys already in hand: no decoding, no DID document, no status, no HTTP. What a
 * verifier per presentation cannot do without; the service's CPU per verification is compared with it
 * (`cpuPerVerificationOverBareSignatures`), with the signature library the service uses (libsecp256k1), and
 * node:crypto's figure beside it. Throws unless every check passes.
 */
export function bareSignatureMs(
  presentations: Array<{ vp: string; credential: string }>,
  holderOf: (i: number) => Wallet,
  issuer: Wallet,
  iterations: number,
): { libsecp256k1Ms: number; nodeCryptoMs: number } {
  const time = (make: (wallet: Wallet) => (jwt: string) => boolean) => {
    const issuerCheck = make(issuer);
    const holderChecks = presentations.map((_, i) => make(holderOf(i)));
    // Warm up (first calls compile and cache).
    for (let i = 0; i < 50; i++) holderChecks[i % presentations.length](presentations[i % presentations.length].vp);
    const before = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      const p = i % presentations.length;
      if (!holderChecks[p](presentations[p].vp) || !issuerCheck(presentations[p].credential)) throw new Error('bare signatures: a signature did not verify');
    }
    const cpu = process.cpuUsage(before);
    return round((cpu.user + cpu.system) / 1000 / iterations, 4);
  };
  return { libsecp256k1Ms: time(CHECKERS.libsecp256k1), nodeCryptoMs: time(CHECKERS.nodeCrypto) };
}
