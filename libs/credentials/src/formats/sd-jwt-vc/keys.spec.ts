import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { holderJwk } from './keys.js';

/** What OpenSSL says of a public JWK: the reference the on-curve check must agree with. */
function opensslAccepts(jwk: { crv: string; x: string; y: string }): boolean {
  try {
    createPublicKey({ key: { kty: 'EC', ...jwk }, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

describe('holderJwk: the on-curve check agrees with OpenSSL', () => {
  test.each(['P-256', 'secp256k1'])('%s: real keys pass, points moved off the curve fail', (crv) => {
    for (let i = 0; i < 20; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: crv === 'P-256' ? 'prime256v1' : 'secp256k1' });
      const jwk = publicKey.export({ format: 'jwk' }) as { crv: string; x: string; y: string };
      expect(holderJwk({ kty: 'EC', crv, x: jwk.x, y: jwk.y })).toEqual({ kty: 'EC', crv, x: jwk.x, y: jwk.y });
      const y = Buffer.from(jwk.y, 'base64url');
      y[31] ^= 1 << (i % 8);
      const moved = { crv, x: jwk.x, y: b64(y) };
      expect(opensslAccepts(moved)).toBe(false);
      expect(holderJwk({ kty: 'EC', ...moved })).toBeUndefined();
    }
  });

  test.each(['P-256', 'secp256k1'])('%s: random coordinates and coordinates at or past the prime are refused as OpenSSL refuses them', (crv) => {
    for (let i = 0; i < 30; i++) {
      const random = { crv, x: b64(randomBytes(32)), y: b64(randomBytes(32)) };
      expect(holderJwk({ kty: 'EC', ...random }) !== undefined).toBe(opensslAccepts(random));
    }
    const all = { crv, x: b64(Buffer.alloc(32, 0xff)), y: b64(Buffer.alloc(32, 0xff)) };
    expect(holderJwk({ kty: 'EC', ...all })).toBeUndefined();
    expect(opensslAccepts(all)).toBe(false);
  });

  test('a secp256k1 point is not a P-256 point', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    expect(holderJwk({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y })).toBeUndefined();
  });
});
