import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { sessionCookieOptions } from '../../../common/src/auth/session-cookie.js';
import { DataSource } from 'typeorm';
import { Inject } from '@nestjs/common';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { BodyLimit } from '../../../common/src/http/body-limit.js';
import { bodyValidator } from '../../../common/src/http/validate-body.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { AgencyAuthGuard, StaffRoles } from '../auth/agency-auth.guard.js';
import { CurrentAgency } from '../auth/api-key.guard.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { CREATE_STAFF_SCHEMA, CreateStaffDto, SIGN_IN_SCHEMA, SignInDto, type SessionView, type StaffView } from './dto/staff.dto.js';
import { CSRF_HEADER, SESSION_COOKIE, csrfMatches, resolveSession } from './sessions.js';
import { StaffService } from './staff.service.js';

const validateCreate = bodyValidator(CREATE_STAFF_SCHEMA);
const validateSignIn = bodyValidator(SIGN_IN_SCHEMA);

/** Governance creates and removes the staff accounts of agencies. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/agencies/:agencyId/staff')
export class StaffAdminController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  @BodyLimit('4kb')
  @ApiOperation({ summary: 'Create a staff account of an agency (clerk, officer or auditor) with an initial password' })
  create(@Param('agencyId') agencyId: string, @Body() body: CreateStaffDto): Promise<StaffView> {
    return this.staff.create(agencyId, validateCreate(body));
  }

  @Get()
  @ApiOperation({ summary: 'The staff accounts of an agency' })
  list(@Param('agencyId') agencyId: string): Promise<StaffView[]> {
    return this.staff.list(agencyId);
  }

  @Delete(':staffId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a staff account; its sessions end at once' })
  remove(@Param('agencyId') agencyId: string, @Param('staffId') staffId: string): Promise<void> {
    return this.staff.remove(agencyId, staffId);
  }
}

/**
 * Who the `staff:<id>` actors of an agency's audit entries are, for its auditors (or its API key): its current
 * members. The log names staff by id only: no name is written into an entry that can never be erased.
 */
@ApiTags('audit')
@ApiSecurity('apiKey')
@UseGuards(AgencyAuthGuard)
@StaffRoles('auditor')
@Controller('agency/audit/staff')
export class AgencyStaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @ApiOperation({ summary: "This agency's staff accounts (id, username, display name, role), to name the `staff:<id>` actors of its entries" })
  list(@CurrentAgency() agency: Agency): Promise<StaffView[]> {
    return this.staff.list(agency.id);
  }
}

/**
 * Portal sign-in and sign-out. The session lives in an HttpOnly, SameSite=Strict cookie (Secure unless the
 * devnet serves plain http on a loopback address); the answer carries the CSRF token the page must echo.
 */
@ApiTags('staff')
@Controller('staff/session')
export class StaffSessionController {
  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly staff: StaffService,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @HttpCode(200)
  @BodyLimit('1kb')
  @ApiOperation({ summary: 'Sign in (username, password): sets the session cookie; answers the session with its CSRF token' })
  async signIn(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    // JSON only (the body reader reads nothing else): a cross-site HTML form cannot sign anyone in.
    const { username, password } = validateSignIn(body);
    const { token, view } = await this.staff.signIn(username, password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, token, { ...this.cookieOptions(req), expires: new Date(view.expiresAt) });
    res.setHeader('cache-control', 'no-store');
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'The current session (staff member, agency, CSRF token), or 401' })
  async current(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    res.setHeader('cache-control', 'no-store');
    return this.staff.view(await resolveSession(this.dataSource, req));
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out (needs the x-csrf-token header): the session ends on the server and the cookie is cleared' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const active = await resolveSession(this.dataSource, req);
    if (!csrfMatches(req.headers[CSRF_HEADER], active.token)) throw new GovcredError('csrf_token_invalid', `sign-out needs the ${CSRF_HEADER} header of the session`);
    await this.staff.signOut(active);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  private cookieOptions(req: Request): CookieOptions {
    return sessionCookieOptions(req, this.config.STAFF_COOKIE_SECURE);
  }
}
