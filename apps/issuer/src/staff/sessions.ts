import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { Agency } from '../agencies/entities/agency.entity.js';
import { StaffMember } from './entities/staff-member.entity.js';
import { StaffSession } from './entities/staff-session.entity.js';

/** Name of the session cookie (HttpOnly, SameSite=Strict, Path=/). */
export const SESSION_COOKIE = 'govcred_staff';
/** Header that must carry the session's CSRF token on every state-changing staff request. */
export const CSRF_HEADER = 'x-csrf-token';

/** A new session token: 256 random bits, base64url (the cookie value; only its hash is stored). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** sha256 (hex) of a session token: the session's key in the database. */
export function sessionKey(token: string): string {
  return createHash('sha256').update(`govcred-session\0${token}`).digest('hex');
}

/**
 * The session's CSRF token, derived from the session token by a one-way hash of another domain: the page reads
 * it from the sign-in answer (or `GET /staff/session`, which another origin cannot read) and echoes it in
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

/** A session that is in force, with its member and agency. */
export interface ActiveSession {
  token: string;
  session: StaffSession;
  member: StaffMember;
  agency: Agency;
}

/**
 * The session of a request's cookie; `unauthorized` when there is none or it expired (an expired row is
 * removed on the way). The member's agency is read from the member row, never from the request.
 */
export async function resolveSession(dataSource: DataSource, request: Request, now = new Date()): Promise<ActiveSession> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new GovcredError('unauthorized', 'sign in first (no staff session)');
  const sessions = dataSource.getRepository(StaffSession);
  const session = await sessions.findOneBy({ tokenHash: sessionKey(token) });
  if (!session) throw new GovcredError('unauthorized', 'the session ended: sign in again');
  if (Date.parse(session.expiresAt) <= now.getTime()) {
    await sessions.delete({ tokenHash: session.tokenHash });
    throw new GovcredError('unauthorized', 'the session expired: sign in again');
  }
  const member = await dataSource.getRepository(StaffMember).findOneBy({ id: session.staffId });
  const agency = member ? await dataSource.getRepository(Agency).findOneBy({ id: member.agencyId }) : null;
  if (!member || !agency || member.agencyId !== session.agencyId) throw new GovcredError('unauthorized', 'the session ended: sign in again');
  return { token, session, member, agency };
}
