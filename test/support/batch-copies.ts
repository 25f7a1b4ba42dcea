import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A P-256 holder key: the private key and its public JWK. */
export interface TestKey {
  privateKey: KeyObject;
  jwk: { kty: string; crv: string; x: string; y: string };
}

export function newP256(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' }) as TestKey['jwk'];
  return { privateKey, jwk: { kty, crv, x, y } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An OID4VCI key proof (`openid4vci-proof+jwt`, ES256) naming `key` in its jwk header, signed by `signer` (default: `key`). */
export function proofJwt(key: TestKey, audience: string, nonce: string, signer: TestKey = key): string {
  const input = `${b64({ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: key.jwk })}.${b64({ aud: audience, iat: Math.floor(Date.now() / 1000), nonce })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: signer.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const json = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

/** An SD-JWT (with or without KB-JWT) taken apart: the issuer JWT's header, payload and signature, the decoded disclosures, the KB-JWT, every raw segment. */
export function decodeParts(sdJwt: string) {
  const parts = sdJwt.split('~');
  const [h, p, signature] = parts[0]!.split('.');
  const kb = parts.at(-1) ? parts.at(-1)!.split('.') : undefined;
  return {
    header: json(h!),
    payload: json(p!),
    signature: signature!,
    disclosures: parts.slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]),
    kbHeader: kb ? json(kb[0]!) : undefined,
    kbPayload: kb ? json(kb[1]!) : undefined,
    segments: [...parts[0]!.split('.'), ...parts.slice(1, -1), ...(kb ?? [])],
  };
}

/** Every primitive value inside `value` (strings, numbers, booleans), depth first. */
export function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves);
  return value === undefined || value === null ? [] : [value];
}
