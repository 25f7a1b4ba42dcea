import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { SigningKey, type Wallet } from 'ethers';
import { round } from './stats.js';

/** A secp256k1 public key of a wallet as node:crypto holds it. */
function publicKeyOf(wallet: Wallet): KeyObject {
  const point = Buffer.from(SigningKey.computePublicKey(wallet.privateKey, false).slice(4), 'hex');
  return createPublicKey({
    key: { kty: 'EC', crv: 'secp256k1', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') },
    format: 'jwk',
  });
}

/** The JWS (ES256K, r‖s) signature of a compact JWT checked with `key`: the one step no verifier can skip. */
function checkOnce(jwt: string, key: KeyObject): boolean {
  const dot = jwt.lastIndexOf('.');
  return verify('sha256', Buffer.from(jwt.slice(0, dot)), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(jwt.slice(dot + 1), 'base64url'));
}

/**
 * CPU time of the bare signature checks of one presentation — the VP-JWT's (holder key) and its credential's
 * (agency key) — with node:crypto and the public keys already in hand: no decoding, no DID document, no status,
 * no HTTP. What a verifier per presentation cannot do without; the service's CPU per verification is compared with
 * it (`cpuPerVerificationOverBareSignatures`). Throws unless every check passes.
 */
export function bareSignatureMs(
  presentations: Array<{ vp: string; credential: string }>,
  holderOf: (i: number) => Wallet,
  issuer: Wallet,
  iterations: number,
): number {
  const issuerKey = publicKeyOf(issuer);
  const holderKeys = presentations.map((_, i) => publicKeyOf(holderOf(i)));
  // Warm up (first calls compile and cache).
  for (let i = 0; i < 50; i++) checkOnce(presentations[i % presentations.length].vp, holderKeys[i % presentations.length]);
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const p = i % presentations.length;
    if (!checkOnce(presentations[p].vp, holderKeys[p]) || !checkOnce(presentations[p].credential, issuerKey)) {
      throw new Error('bare signatures: a signature did not verify');
    }
  }
  const cpu = process.cpuUsage(before);
  return round((cpu.user + cpu.system) / 1000 / iterations, 4);
}
