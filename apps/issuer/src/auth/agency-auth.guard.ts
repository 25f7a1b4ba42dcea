import { Injectable, SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import type { StaffMember, StaffRole } from '../staff/entities/staff-member.entity.js';
import { CSRF_HEADER, SAFE_METHODS, csrfMatches } from '../../../common/src/auth/session-cookie.js';
import { resolveSession } from '../staff/sessions.js';
import { API_KEY_HEADER, agencyOfApiKey } from './api-key.guard.js';

const STAFF_ROLES_KEY = 'govcred:staff-roles';

/** Staff roles that may use a route with a portal session; routes without it take API keys only. */
export const StaffRoles = (...roles: StaffRole[]) => SetMetadata(STAFF_ROLES_KEY, roles);

/** What the guard puts on the request. */
export type ActingRequest = Request & { agency?: Agency; staff?: StaffMember; actor?: string };

/**
 * An agency's routes, for systems and for people: an `x-api-key` (as `ApiKeyGuard`; actor
 * `agency:<id>`), or a staff session cookie whose member has one of the route's {@link StaffRoles} (actor
 * `staff:<id>`). State-changing session requests must echo the session's CSRF token. Either way the agency on
 * the request is the key's or the member's own, so the handler can never act for another agency.
 */
@Injectable()
export class AgencyAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ActingRequest>();
    // The roles are looked up only for a request without a key (a staff session).
    const roles = () => this.reflector.getAllAndOverride<StaffRole[] | undefined>(STAFF_ROLES_KEY, [context.getHandler(), context.getClass()]);
    await authenticateAgency(this.dataSource, request, roles);
    return true;
  }
}

/**
 * What {@link AgencyAuthGuard} does for a route whose {@link StaffRoles} `roles` gives (undefined: API keys
 * only): puts `agency`, `actor` and for a session `staff` on the request, or throws. Also used by routes served
 * ahead of Nest (the lean issue route), so both paths authenticate alike.
 * @throws GovcredError unauthorized, role_not_allowed, csrf_token_invalid (and a session's own codes)
 */
export async function authenticateAgency(dataSource: DataSource, request: ActingRequest, roles: () => StaffRole[] | undefined): Promise<Agency> {
  if (request.headers[API_KEY_HEADER] !== undefined) {
    const agency = await agencyOfApiKey(dataSource, request);
    request.agency = agency;
    request.actor = `agency:${agency.id}`;
    return agency;
  }
  const allowed = roles();
  if (!allowed) throw new GovcredError('unauthorized', `missing ${API_KEY_HEADER} header`);
  const { token, member, agency } = await resolveSession(dataSource, request);
  if (!allowed.includes(member.role)) {
    throw new GovcredError('role_not_allowed', `the ${member.role} role may not do this`, { role: member.role, allowed });
  }
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(request.headers[CSRF_HEADER], token)) {
    throw new GovcredError('csrf_token_invalid', `state-changing requests of a staff session need the ${CSRF_HEADER} header of that session`);
  }
  request.agency = agency;
  request.staff = member;
  request.actor = `staff:${member.id}`;
  return agency;
}

/** Who acts on a request guarded by {@link AgencyAuthGuard}: `agency:<id>` (API key) or `staff:<id>`. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<ActingRequest>();
  if (!request.actor) throw new GovcredError('unauthorized', 'no actor on this request');
  return request.actor;
});
