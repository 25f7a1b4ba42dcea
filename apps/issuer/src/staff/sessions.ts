import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { presentedSessionToken, sessionKey } from '../../../common/src/auth/session-cookie.js';
import { Agency } from '../agencies/entities/agency.entity.js';
import { StaffMember } from './entities/staff-member.entity.js';
import { StaffSession } from './entities/staff-session.entity.js';

/** Name of the portal's session cookie (HttpOnly, SameSite=Strict, Path=/). */
export const SESSION_COOKIE = 'govcred_staff';
export { CSRF_HEADER, csrfMatches } from '../../../common/src/auth/session-cookie.js';

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
  const token = presentedSessionToken(request, SESSION_COOKIE);
  if (!token) throw new GovcredError('unauthorized', 'sign in first (no staff session)');
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
