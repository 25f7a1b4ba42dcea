import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { CSRF_HEADER, SAFE_METHODS, csrfMatches } from '../../../common/src/auth/session-cookie.js';
import { ClerksService, type ActiveClerkSession } from './clerks.service.js';

type CounterRequest = Request & { counter?: ActiveClerkSession };

/**
 * Counter routes: a clerk's session cookie; state-changing requests must echo the session's CSRF token. The
 * verifier account on the request is the clerk's own, so a handler can never act for another account.
 */
@Injectable()
export class ClerkSessionGuard implements CanActivate {
  constructor(private readonly clerks: ClerksService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CounterRequest>();
    const active = await this.clerks.resolve(request);
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(request.headers[CSRF_HEADER], active.token)) {
      throw new GovcredError('csrf_token_invalid', `state-changing requests of a counter session need the ${CSRF_HEADER} header of that session`);
    }
    request.counter = active;
    return true;
  }
}

/** The session of a request guarded by {@link ClerkSessionGuard}. */
export const CurrentClerk = createParamDecorator((_data: unknown, context: ExecutionContext): ActiveClerkSession => {
  const active = context.switchToHttp().getRequest<CounterRequest>().counter;
  if (!active) throw new GovcredError('unauthorized', 'no counter session on this request');
  return active;
});
