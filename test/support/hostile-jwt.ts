/**
 * Hand-made JWS for hostile-input tests: any header, any payload text (deep or wide JSON that
 * `JSON.stringify` itself could not produce), a real ES256K signature. did-jwt-vc's helpers are avoided on
 * purpose: they validate what they sign, and some of what these tests send is exactly what that validation
 * chokes on.
 */
import { ES256KSigner } from 'did-jwt';
import { getBytes } from 'ethers';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Signs `header` and `payload` (objects, or JSON text sent as is) with an ES256K key (hex). */
export async function signJws(privateKey: string, header: Record<string, unknown> | string, payload: Record<string, unknown> | string): Promise<string> {
  const input = `${b64(typeof header === 'string' ? header : JSON.stringify(header))}.${b64(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  const signature = (await ES256KSigner(getBytes(privateKey))(input)) as string;
  return `${input}.${signature}`;
}

/** The same JWS with `signature` (raw bytes) in place of its own. */
export function withSignature(jws: string, signature: Buffer): string {
  return `${jws.slice(0, jws.lastIndexOf('.'))}.${signature.toString('base64url')}`;
}

/** JSON text of `{"a":{"a":…}}` nested `depth` levels around `leaf` (built as text: no recursion anywhere). */
export function nestedObjectJson(depth: number, leaf = '"x"'): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** JSON text of `[[[…]]]` nested `depth` levels. */
export function nestedArrayJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** JSON text of an object with `count` members. */
export function wideObjectJson(count: number): string {
  return `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(',')}}`;
}

/**
 * Strings that look almost like a compact JWT, `size` characters long, in the shapes that drive a
 * backtracking JWT pattern (`^[…]+\.[…]+\.?[…]*$`, did-jwt-vc's JWT_FORMAT) into quadratic time: a long run
 * the pattern's overlapping classes can split many ways, ended by a character none of them accepts.
 */
export function nearJwts(size: number): Array<[string, string]> {
  const run = (n: number, unit = 'a') => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  return [
    ['two parts then junk', `eyJ.${run(size - 5)}!`],
    ['dots everywhere then junk', `eyJ.${run(size - 5, 'a.')}!`],
    ['three parts, bad last char', `eyJ.eyJ.${run(size - 9)}$`],
    ['base64 with padding then a space', `eyJ=.${run(size - 7, 'a=')} x`],
    ['one long part', `${run(size)}`],
  ];
}

/** `did` (or an address) with the case of the first letter of its address flipped: a wrong EIP-55 checksum. */
export function badChecksum(did: string): string {
  const start = did.lastIndexOf('0x') + 2;
  for (let i = start; i < did.length; i++) {
    const c = did[i];
    if (/[a-fA-F]/.test(c)) return did.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + did.slice(i + 1);
  }
  throw new Error(`no letter to flip in ${did}`);
}

/** 64 bytes whose r (5) is no x coordinate of a secp256k1 point: 5³ + 7 is not a square modulo p. */
export const NOT_A_CURVE_POINT = Buffer.concat([Buffer.alloc(31), Buffer.from([5]), Buffer.alloc(31), Buffer.from([1])]);
