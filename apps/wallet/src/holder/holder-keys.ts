import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { SigningKey } from 'ethers';
import type { EcPublicJwk } from '../../../../libs/credentials/src/index.js';
import type { HolderIdentity, StoredHolderKey } from '../store/wallet-store.js';

/** Which key an SD-JWT VC is bound to: a new P-256 key (what most wallets use), or the wallet's secp256k1 DID key. */
export type HolderKeyKind = 'p256' | 'secp256k1';

/**
 * A key for a new SD-JWT VC. P-256 keys are fresh for each credential, so two of a citizen's credentials
 * presented to two verifiers share no key; `secp256k1` reuses the DID key (one key to back up, but linkable),
 * unless `fresh`: each copy of a batch needs a key of its own, or its copies would be linkable by it.
 */
export function newHolderKey(kind: HolderKeyKind, identity: HolderIdentity, fresh = false): StoredHolderKey {
  if (kind === 'p256' || fresh) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'P-256' : 'secp256k1' });
    return { alg: kind === 'p256' ? 'ES256' : 'ES256K', jwk: privateKey.export({ format: 'jwk' }) };
  }
  const privateKey = Buffer.from(identity.privateKeyHex.replace(/^0x/, ''), 'hex');
  const point = Buffer.from(SigningKey.computePublicKey(privateKey, false).slice(4), 'hex');
  const b64 = (bytes: Buffer) => bytes.toString('base64url');
  return { alg: 'ES256K', jwk: { kty: 'EC', crv: 'secp256k1', d: b64(privateKey), x: b64(point.subarray(0, 32)), y: b64(point.subarray(32)) } };
}

/** The public half, as `cnf.jwk` and the proof's `jwk` header carry it. */
export function publicHolderJwk(key: StoredHolderKey): EcPublicJwk {
  const { crv, x, y } = key.jwk;
  return { kty: 'EC', crv: crv!, x: x!, y: y! };
}

/** The base64url signature (ES256 / ES256K, r‖s) of a JWS signing input with the holder key. */
export function signInputWithHolderKey(key: StoredHolderKey, input: string): string {
  const privateKey = createPrivateKey({ key: key.jwk, format: 'jwk' });
  return sign('sha256', Buffer.from(input, 'ascii'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** A compact JWS of `header`.`payload` signed with the holder key (ES256 / ES256K, r‖s). */
export function signWithHolderKey(key: StoredHolderKey, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const b64 = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signInputWithHolderKey(key, input)}`;
}
