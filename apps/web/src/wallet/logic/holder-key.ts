import { bytesToBase64url, textToBase64url } from '../../../../../libs/credentials/src/bytes.js';
import type { EcPublicJwk } from '../../../../../libs/credentials/src/formats/sd-jwt-vc/holder-key.js';
import type { HolderKey } from '../store/wallet-store';

/**
 * Holder keys made and used by WebCrypto: P-256 (ES256), one fresh key per credential, so two credentials
 * shown to two verifiers share no key. The private JWK is exported only into the encrypted store.
 */

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function newHolderKey(): Promise<HolderKey> {
  const pair = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  return { alg: 'ES256', jwk: await crypto.subtle.exportKey('jwk', pair.privateKey) };
}

/** The public half, as the key proof's `jwk` header and the credential's `cnf.jwk` carry it. */
export function publicJwk(key: HolderKey): EcPublicJwk {
  const { crv, x, y } = key.jwk;
  return { kty: 'EC', crv: crv!, x: x!, y: y! };
}

/** base64url ES256 signature (r‖s, which is WebCrypto's ECDSA output) of a JWS signing input. */
export async function signInput(key: HolderKey, input: string): Promise<string> {
  const { kty, crv, x, y, d } = key.jwk;
  const privateKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, ALGORITHM, false, ['sign']);
  return bytesToBase64url(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(input))));
}

/** A compact JWS of exactly `header` and `payload`, signed with the holder key. */
export async function signJws(key: HolderKey, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const input = `${textToBase64url(JSON.stringify(header))}.${textToBase64url(JSON.stringify(payload))}`;
  return `${input}.${await signInput(key, input)}`;
}
