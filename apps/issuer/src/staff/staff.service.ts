import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { DbWriter } from '../database/db-writer.service.js';
import type { CreateStaffDto, SessionView, StaffView } from './dto/staff.dto.js';
import { StaffMember } from './entities/staff-member.entity.js';
import { StaffSession } from './entities/staff-session.entity.js';
import { decoyHash, hashPassword, verifyPassword } from '../../../common/src/auth/password.js';
import { csrfTokenFor, newSessionToken, sessionKey } from '../../../common/src/auth/session-cookie.js';
import { SignInThrottle } from '../../../common/src/auth/sign-in-throttle.js';
import { SignInFailure } from './entities/sign-in-failure.entity.js';
import type { ActiveSession } from './sessions.js';

export function staffView(m: StaffMember): StaffView {
  return { id: m.id, agencyId: m.agencyId, username: m.username, displayName: m.displayName, role: m.role, createdAt: m.createdAt };
}

function sessionView(member: StaffMember, agency: Agency, token: string, expiresAt: string): SessionView {
  return {
    staff: staffView(member),
    agency: { id: agency.id, did: agency.did, nameZh: agency.nameZh, nameEn: agency.nameEn, credentialTypes: agency.credentialTypes },
    csrfToken: csrfTokenFor(token),
    expiresAt,
  };
}

/** Staff accounts (created by governance) and their portal sessions. */
@Injectable()
export class StaffService {
  private readonly throttle: SignInThrottle;

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly agencies: AgenciesService,
    private readonly audit: AuditService,
  ) {
    this.throttle = new SignInThrottle(db, SignInFailure, {
      perAccount: config.STAFF_SIGN_IN_MAX_FAILURES,
      perIp: config.STAFF_SIGN_IN_MAX_FAILURES_PER_IP,
      windowMs: config.STAFF_SIGN_IN_WINDOW_MS,
    });
  }

  async create(agencyId: string, input: CreateStaffDto): Promise<StaffView> {
    const agency = await this.agencies.get(agencyId);
    const member: StaffMember = {
      id: randomUUID(),
      agencyId: agency.id,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: new Date().toISOString(),
    };
    await this.db.write(async (m) => {
      if (await m.getRepository(StaffMember).existsBy({ username: input.username })) {
        throw new GovcredError('staff_username_taken', 'this username is taken');
      }
      await m.getRepository(StaffMember).insert(member);
      await this.audit.append(m, { actor: 'admin', agencyId: agency.id, action: 'staff.created', data: { staffId: member.id, role: member.role } });
    });
    return staffView(member);
  }

  async list(agencyId: string): Promise<StaffView[]> {
    await this.agencies.get(agencyId);
    return (await this.dataSource.getRepository(StaffMember).find({ where: { agencyId }, order: { createdAt: 'ASC' } })).map(staffView);
  }

  /** Removes a member and ends every session of theirs at once. */
  async remove(agencyId: string, staffId: string): Promise<void> {
    await this.db.write(async (m) => {
      const removed = await m.getRepository(StaffMember).delete({ id: staffId, agencyId });
      if (!removed.affected) throw new GovcredError('staff_not_found', 'no such staff member of this agency');
      await m.getRepository(StaffSession).delete({ staffId });
      await this.audit.append(m, { actor: 'admin', agencyId, action: 'staff.removed', data: { staffId } });
    });
  }

  /**
   * Checks a username and password and opens a session. Throttled per account and per client address before
   * the password is checked; an unknown username costs the same scrypt run as a known one.
   */
  async signIn(username: string, password: string, ip: string): Promise<{ token: string; view: SessionView }> {
    const accountKey = SignInThrottle.accountKey(username);
    const ipKey = SignInThrottle.ipKey(ip);
    await this.throttle.check(accountKey, ipKey);
    const member = await this.dataSource.getRepository(StaffMember).findOneBy({ username });
    const ok = await verifyPassword(password, member?.passwordHash ?? (await decoyHash()));
    if (!member || !ok) {
      await this.throttle.fail(accountKey, ipKey);
      if (member) {
        // Whoever typed the wrong password is unknown: the account is what the entry is about, not its actor.
        await this.db.write((m) => this.audit.append(m, { actor: 'anonymous', agencyId: member.agencyId, action: 'staff.sign_in_failed', data: { staffId: member.id } }));
      }
      throw new GovcredError('sign_in_failed', 'wrong username or password');
    }
    await this.throttle.succeed(accountKey);
    const agency = await this.agencies.get(member.agencyId);
    const token = newSessionToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.STAFF_SESSION_TTL_MS).toISOString();
    await this.db.write(async (m) => {
      await m.getRepository(StaffSession).insert({ tokenHash: sessionKey(token), staffId: member.id, agencyId: agency.id, createdAt: now.toISOString(), expiresAt });
      await this.audit.append(m, { actor: `staff:${member.id}`, agencyId: agency.id, action: 'staff.signed_in', data: {} });
    });
    // Sessions of this member that expired meanwhile go now (expired ones are refused anyway).
    const expired = await this.dataSource.getRepository(StaffSession).findBy({ staffId: member.id });
    const stale = expired.filter((s) => Date.parse(s.expiresAt) <= now.getTime()).map((s) => s.tokenHash);
    if (stale.length > 0) await this.db.write((m) => m.getRepository(StaffSession).delete(stale));
    return { token, view: sessionView(member, agency, token, expiresAt) };
  }

  view(active: ActiveSession): SessionView {
    return sessionView(active.member, active.agency, active.token, active.session.expiresAt);
  }

  async signOut(active: ActiveSession): Promise<void> {
    await this.db.write(async (m) => {
      await m.getRepository(StaffSession).delete({ tokenHash: active.session.tokenHash });
      await this.audit.append(m, { actor: `staff:${active.member.id}`, agencyId: active.agency.id, action: 'staff.signed_out', data: {} });
    });
  }
}
