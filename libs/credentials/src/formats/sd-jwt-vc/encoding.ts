import { base64urlToBytes, base64urlToText, sha256Base64url } from '../../bytes.js';
import type { SdJwtLimits } from './constants.js';

/**
 * Strict, bounded decoding of the parts of an SD-JWT. Hand-written rather than `@sd-jwt/decode`, whose
 * decoder throws on bad input, accepts characters outside base64url (js-base64 is lenient) and has no size
 * or depth bounds. Every function here is linear in its input and never throws. Browser-safe (the web wallet
 * decodes its credentials with it): no node: import.
 */

/** A single character class with `*`: linear, no backtracking. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function isBase64url(text: string): boolean {
  return BASE64URL.test(text);
}

/** base64url of SHA-256 over the ASCII text (the digest of a disclosure, RFC 9901 §4.2.3, and `sd_hash`). */
export function sha256b64u(text: string): string {
  // The text is base64url and `~`: ASCII, so its UTF-8 bytes are its ASCII bytes.
  return sha256Base64url(text);
}

/** Why decoded JSON was refused. */
export type JsonFailure = 'malformed' | 'too_deep' | 'too_large';

/** Counts members across several decodings of one SD-JWT, so many small parts cannot add up to a big one. */
export class MemberBudget {
  private used = 0;
  constructor(private readonly max: number) {}
  /** False once more than `max` members were taken in total. */
  take(count: number): boolean {
    this.used += count;
    return this.used <= this.max;
  }
}

/**
 * base64url text → JSON value, with the depth of the value bounded by `limits.maxDepth` (root = 1) and its
 * members charged to `budget`. JSON.parse itself is linear and iterative in V8 (no stack overflow on deep
 * input); the walk stops at the first level too deep.
 */
export function decodeJson(part: string, limits: Pick<SdJwtLimits, 'maxDepth'>, budget: MemberBudget): { ok: true; value: unknown } | { ok: false; failure: JsonFailure } {
  if (part.length === 0 || !isBase64url(part)) return { ok: false, failure: 'malformed' };
  let value: unknown;
  try {
    value = JSON.parse(base64urlToText(part));
  } catch {
    return { ok: false, failure: 'malformed' };
  }
  const failure = measure(value, limits.maxDepth, budget);
  return failure ? { ok: false, failure } : { ok: true, value };
}

/** Breadth-first walk with an explicit queue: no recursion, stops at the first violation. */
function measure(root: unknown, maxDepth: number, budget: MemberBudget): JsonFailure | undefined {
  let level: unknown[] = [root];
  for (let depth = 1; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const value of level) {
      if (typeof value !== 'object' || value === null) continue;
      if (depth > maxDepth) return 'too_deep';
      const children = Array.isArray(value) ? value : Object.values(value);
      if (!budget.take(children.length)) return 'too_large';
      for (const child of children) if (typeof child === 'object' && child !== null) next.push(child);
    }
    level = next;
  }
  return undefined;
}

/** A compact JWS split into its three parts, header and payload decoded as JSON objects. */
export interface CompactJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `<header>.<payload>`, exactly as received (what was signed). */
  signingInput: string;
  signature: Uint8Array;
}

export function decodeCompactJws(text: string, limits: SdJwtLimits, budget: MemberBudget): { ok: true; jws: CompactJws } | { ok: false; failure: JsonFailure } {
  const first = text.indexOf('.');
  const second = first < 0 ? -1 : text.indexOf('.', first + 1);
  if (first < 0 || second < 0 || text.indexOf('.', second + 1) >= 0) return { ok: false, failure: 'malformed' };
  const header = decodeJson(text.slice(0, first), limits, budget);
  if (!header.ok) return header;
  const payload = decodeJson(text.slice(first + 1, second), limits, budget);
  if (!payload.ok) return payload;
  const signature = text.slice(second + 1);
  if (!isObject(header.value) || !isObject(payload.value) || signature.length === 0 || !isBase64url(signature)) return { ok: false, failure: 'malformed' };
  return { ok: true, jws: { header: header.value, payload: payload.value, signingInput: text.slice(0, second), signature: base64urlToBytes(signature) } };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own data property, so a claim named `__proto__` stays a claim and never becomes a prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
