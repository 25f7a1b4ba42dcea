import { getBytes, sha256, sha512, toUtf8Bytes } from 'ethers';

/**
 * base64url, SHA-2 and randomness that run unchanged in Node and in browsers (the web wallet bundles the
 * holder code): no `node:` import and no `Buffer` type. Node's Buffer is used when the runtime has one (its
 * native base64url is the verifier's hot path); so is node:crypto for hashing, reached at run time through
 * `process.getBuiltinModule` (Node ≥ 20.16), since ethers' path (UTF-8 and hex in JavaScript around it) was ~5 % of
 * an SD-JWT VC verification; browsers hash with ethers (@noble); randomness is WebCrypto's, a global in both.
 */

interface NodeBufferLike extends Uint8Array {
  toString(encoding?: 'base64url' | 'utf8'): string;
}
interface NodeBufferStatic {
  from(text: string, encoding: 'base64url' | 'utf8'): NodeBufferLike;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBufferLike;
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferStatic }).Buffer;

interface NodeHashing {
  /** Strings are hashed as UTF-8 (a lone surrogate as U+FFFD). */
  hash(algorithm: 'sha256' | 'sha512', data: string | Uint8Array, encoding: 'buffer' | 'hex' | 'base64url'): Uint8Array & string;
}
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as NodeHashing | undefined;

/** Bytes of base64url text (RFC 4648 §5, no padding); callers check the alphabet first where input is hostile. */
export function base64urlToBytes(text: string): Uint8Array {
  if (NodeBuffer) {
    const b = NodeBuffer.from(text, 'base64url');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** base64url of `bytes`, no padding. */
export function bytesToBase64url(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** UTF-8 text of base64url (a JWT header or payload, a disclosure); malformed UTF-8 becomes U+FFFD as Buffer does. */
export function base64urlToText(text: string): string {
  return NodeBuffer ? NodeBuffer.from(text, 'base64url').toString('utf8') : new TextDecoder().decode(base64urlToBytes(text));
}

/** base64url of the UTF-8 bytes of `text`. */
export function textToBase64url(text: string): string {
  return NodeBuffer ? NodeBuffer.from(text, 'utf8').toString('base64url') : bytesToBase64url(new TextEncoder().encode(text));
}

/** A Uint8Array view of a Node Buffer's bytes (callers and their tests see the same type in Node and browsers). */
const plainBytes = (buffer: Uint8Array) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** SHA-256 of bytes, or of the UTF-8 bytes of a string. */
export function sha256Bytes(data: Uint8Array | string): Uint8Array {
  if (nodeCrypto) return plainBytes(nodeCrypto.hash('sha256', data, 'buffer'));
  return getBytes(sha256(typeof data === 'string' ? toUtf8Bytes(data) : data));
}

/** SHA-512 of bytes, or of the UTF-8 bytes of a string. */
export function sha512Bytes(data: Uint8Array | string): Uint8Array {
  if (nodeCrypto) return plainBytes(nodeCrypto.hash('sha512', data, 'buffer'));
  return getBytes(sha512(typeof data === 'string' ? toUtf8Bytes(data) : data));
}

/** base64url SHA-256 of the UTF-8 bytes of `text`, in one call where node:crypto is there (no bytes in between). */
export function sha256Base64url(text: string): string {
  if (nodeCrypto) return nodeCrypto.hash('sha256', text, 'base64url');
  return bytesToBase64url(sha256Bytes(text));
}

/** Lower-case hex SHA-256 (no 0x) of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  if (nodeCrypto) return nodeCrypto.hash('sha256', text, 'hex');
  return sha256(toUtf8Bytes(text)).slice(2);
}

/** `length` random bytes from the platform's CSPRNG (WebCrypto). */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let i = 0; i < length; i += 65_536) globalThis.crypto.getRandomValues(bytes.subarray(i, Math.min(length, i + 65_536)));
  return bytes;
}

/** Lower-case hex of bytes (no 0x). */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
