import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit random value, base64url: pre-authorized codes, access tokens, nonces. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (base64url) of a secret: how codes and tokens are stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/**
 * The pre-authorized code of an offer passed by reference, derived from the reference in its
 * `credential_offer_uri`. The issuer keeps neither in clear (the store has the code's hash), so the reference
 * finds its offer by `hashSecret(offerCodeOf(reference))`, and the URI — which access logs and proxies may keep
 * — holds a value that is not itself the code. Domain-separated from every other hash here.
 */
export function offerCodeOf(reference: string): string {
  return createHash('sha256').update(`oid4vci-offer-code\u0000${reference}`, 'utf8').digest('base64url');
}

/** A reference as {@link randomSecret} makes them: 43 base64url characters (checked before any hashing or lookup). */
export function isOfferReference(value: string): boolean {
  return value.length === 43 && /^[A-Za-z0-9_-]+$/.test(value);
}

/** A numeric transaction code (PIN) of `length` digits, uniformly random. */
export function randomTxCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}

/**
 * Hash of a transaction code, bound to its pre-authorized code. A 6-digit PIN alone would fall to an offline
 * search of 10^6 hashes; mixed with the 256-bit code (which is itself stored only as a hash) a stolen
 * database gives no way to test PINs. Online guessing is limited by the attempt counter.
 */
export function hashTxCode(preAuthorizedCode: string, txCode: string): string {
  return createHash('sha256').update(`oid4vci-tx-code\u0000${preAuthorizedCode}\u0000${txCode}`, 'utf8').digest('base64url');
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
