import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request } from 'express';

/**
 * Sessions of people signing in to a service's pages (the issuer's portal staff, the verifier's counter clerks):
 * a random token in an HttpOnly, SameSite=Strict cookie, only its hash in the database, and a CSRF token derived
 * from it that the page echoes in {@link CSRF_HEADER}. Each service names its own cookie: browsers share cookies
 * across the ports of one host, so two services on 127.0.0.1 must not overwrite each other's session.
 */

/** Header that must carry the session's CSRF token on every state-changing request of a session. */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing: they need no CSRF token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A new session token: 256 random bits, base64url (the cookie value; only its hash is stored). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** sha256 (hex) of a session token: the session's key in the database, so a dump holds no usable session. */
export function sessionKey(token: string): string {
  return createHash('sha256').update(`govcred-session\0${token}`).digest('hex');
}

/**
 * The session's CSRF token, derived from the session token by a one-way hash of another domain: the page reads
 * it from the sign-in answer (or the session route, which another origin cannot read) and echoes it in
 * {@link CSRF_HEADER}; a forged cross-site request carries the cookie but cannot know this value.
 */
export function csrfTokenFor(token: string): string {
  return createHash('sha256').update(`govcred-csrf\0${token}`).digest('base64url');
}

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfMatches(presented: unknown, token: string): boolean {
  if (typeof presented !== 'string' || presented.length > 100) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(csrfTokenFor(token)).digest();
  return timingSafeEqual(a, b);
}

/** The value of one cookie of a request (no cookie-parser needed for one name). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session token of a request's cookie `name`, when it has the shape of one (anything else is no session). */
export function presentedSessionToken(request: Request, name: string): string | undefined {
  const token = readCookie(request, name);
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * Options of a session cookie: HttpOnly, SameSite=Strict, Path=/, and Secure unless `secure` is `auto` and the
 * request came over plain http to a loopback address (the devnet).
 */
export function sessionCookieOptions(request: Request, secure: 'always' | 'auto'): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: secure === 'always' || request.secure || !LOOPBACK.test(request.hostname), path: '/' };
}
