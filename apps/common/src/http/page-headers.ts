import type { Response } from 'express';

/**
 * Pages only talk to their own origin and load nothing from elsewhere (a closed network has no CDN); QR codes
 * are data: images. No framing (clickjacking), no referrer to anywhere.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every file of a built page (apps/web), by the file's path. */
export function setPageHeaders(res: Response, file: string): void {
  res.setHeader('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // Hashed asset names may be cached for good; index.html must be fetched anew to pick up a new build.
  res.setHeader('cache-control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
}
