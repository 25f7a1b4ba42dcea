import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { sessionCookieOptions } from '../../../common/src/auth/session-cookie.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { CurrentVerifier, VerifierKeyGuard } from '../auth/api-key.guard.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { ClerkSessionGuard, CurrentClerk } from './clerk-session.guard.js';
import { CLERK_SESSION_COOKIE, ClerksService, type ActiveClerkSession } from './clerks.service.js';
import { CLERK_SIGN_IN_SCHEMA, CREATE_CLERK_SCHEMA, type ClerkSessionView, type ClerkSignInBody, type ClerkView, type CreateClerkBody } from './dto/counter.dto.js';

const validateCreate = bodyValidator<CreateClerkBody>(CREATE_CLERK_SCHEMA);
const validateSignIn = bodyValidator<ClerkSignInBody>(CLERK_SIGN_IN_SCHEMA);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const checkUuid = (id: string, what: 'not_found' | 'clerk_not_found') => {
  if (!UUID.test(id)) throw new GovcredError(what, what === 'not_found' ? 'no verifier account with this id' : 'no such clerk of this verifier account');
};

/** The admin creates and removes the clerks of any verifier account. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/verifiers/:verifierId/clerks')
export class ClerksAdminController {
  constructor(private readonly clerks: ClerksService) {}

  @Post()
  @BodyLimit('4kb')
  @ApiOperation({ summary: "Create a clerk of a verifier account (signs in at the counter page, /) with an initial password" })
  @ApiBody({ schema: CREATE_CLERK_SCHEMA as never })
  create(@Param('verifierId') verifierId: string, @Body() body: unknown): Promise<ClerkView> {
    checkUuid(verifierId, 'not_found');
    return this.clerks.create(verifierId, validateCreate(body));
  }

  @Get()
  @ApiOperation({ summary: 'The clerks of a verifier account' })
  list(@Param('verifierId') verifierId: string): Promise<ClerkView[]> {
    checkUuid(verifierId, 'not_found');
    return this.clerks.list(verifierId);
  }

  @Delete(':clerkId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a clerk; their sessions end at once' })
  remove(@Param('verifierId') verifierId: string, @Param('clerkId') clerkId: string): Promise<void> {
    checkUuid(verifierId, 'not_found');
    checkUuid(clerkId, 'clerk_not_found');
    return this.clerks.remove(verifierId, clerkId);
  }
}

/** A verifier account manages its own clerks with its API key. */
@ApiTags('counter')
@ApiSecurity('apiKey')
@UseGuards(VerifierKeyGuard)
@Controller('counter/clerks')
export class AccountClerksController {
  constructor(private readonly clerks: ClerksService) {}

  @Post()
  @BodyLimit('4kb')
  @ApiOperation({ summary: "Create a clerk of the calling account (x-api-key) with an initial password" })
  @ApiBody({ schema: CREATE_CLERK_SCHEMA as never })
  create(@CurrentVerifier() account: VerifierAccountEntity, @Body() body: unknown): Promise<ClerkView> {
    return this.clerks.create(account.id, validateCreate(body));
  }

  @Get()
  @ApiOperation({ summary: "The calling account's clerks" })
  list(@CurrentVerifier() account: VerifierAccountEntity): Promise<ClerkView[]> {
    return this.clerks.list(account.id);
  }

  @Delete(':clerkId')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove one of the calling account's clerks; their sessions end at once" })
  remove(@CurrentVerifier() account: VerifierAccountEntity, @Param('clerkId') clerkId: string): Promise<void> {
    checkUuid(clerkId, 'clerk_not_found');
    return this.clerks.remove(account.id, clerkId);
  }
}

/**
 * Counter sign-in and sign-out. The session lives in an HttpOnly, SameSite=Strict cookie of its own name; the
 * answer carries the CSRF token the page must echo.
 */
@ApiTags('counter')
@Controller('counter/session')
export class ClerkSessionController {
  constructor(
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    private readonly clerks: ClerksService,
  ) {}

  @Post()
  @HttpCode(200)
  @BodyLimit('1kb')
  @ApiOperation({ summary: "Sign in (username, password): sets the counter's session cookie; answers the session with its CSRF token" })
  @ApiBody({ schema: CLERK_SIGN_IN_SCHEMA as never })
  async signIn(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ClerkSessionView> {
    // JSON only (the body reader reads nothing else): a cross-site HTML form cannot sign anyone in.
    const { username, password } = validateSignIn(body);
    const { token, view } = await this.clerks.signIn(username, password, req.ip ?? 'unknown');
    res.cookie(CLERK_SESSION_COOKIE, token, { ...sessionCookieOptions(req, this.config.COUNTER_COOKIE_SECURE), expires: new Date(view.expiresAt) });
    res.setHeader('cache-control', 'no-store');
    return view;
  }

  @Get()
  @UseGuards(ClerkSessionGuard)
  @ApiOperation({ summary: 'The current counter session (clerk, verifier account, CSRF token), or 401' })
  current(@CurrentClerk() active: ActiveClerkSession, @Res({ passthrough: true }) res: Response): ClerkSessionView {
    res.setHeader('cache-control', 'no-store');
    return this.clerks.view(active);
  }

  @Delete()
  @HttpCode(204)
  @UseGuards(ClerkSessionGuard)
  @ApiOperation({ summary: 'Sign out (needs the x-csrf-token header): the session ends on the server and the cookie is cleared' })
  async signOut(@CurrentClerk() active: ActiveClerkSession, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.clerks.signOut(active);
    res.clearCookie(CLERK_SESSION_COOKIE, sessionCookieOptions(req, this.config.COUNTER_COOKIE_SECURE));
  }
}
