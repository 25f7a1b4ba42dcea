import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of agency API keys, so a leaked key is recognizable in logs and secret scanners. */
const API_KEY_PREFIX = 'gck_';

/** A new agency API key: 256 random bits, base64url. */
export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * sha256 (hex) of a secret. A fast hash suffices for 256-bit random keys (nothing to brute-force), and keys are
 * looked up by this hash, so the comparison never runs over the secret itself.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two secrets in constant time (over their hashes, so lengths need not match). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
