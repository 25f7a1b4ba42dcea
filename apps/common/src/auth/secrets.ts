import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new API key: a recognizable prefix (so a leaked key is spotted in logs and by secret scanners) and 256
 * random bits, base64url.
 */
export function newApiKey(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * sha256 (hex) of a secret. A fast hash suffices for 256-bit random keys (nothing to brute-force), and keys are
 * looked up by this hash, so the comparison never runs over the secret itself and a database dump reveals no key.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with the hash of the expected one in constant time. */
export function matchesHash(secret: string, expectedHashHex: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(secret), 'hex'), Buffer.from(expectedHashHex, 'hex'));
}
