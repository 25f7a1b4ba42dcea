import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { decoyHash, hashPassword, verifyPassword } from '../../../common/src/auth/password.js';
import { csrfTokenFor, newSessionToken, presentedSessionToken, sessionKey } from '../../../common/src/auth/session-cookie.js';
import { SignInThrottle } from '../../../common/src/auth/sign-in-throttle.js';
import { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { VERIFIER_CLOCK } from '../challenges/challenges.service.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import type { ClerkSessionView, ClerkView, CreateClerkBody } from './dto/counter.dto.js';
import { ClerkSessionEntity } from './entities/clerk-session.entity.js';
import { ClerkEntity } from './entities/clerk.entity.js';
import { CounterSignInFailureEntity } from './entities/counter-sign-in-failure.entity.js';

/** Name of the counter's session cookie: its own, as the issuer's portal may live on the same host. */
export const CLERK_SESSION_COOKIE = 'govcred_counter';

/** A counter session in force, with its clerk and verifier account. */
export interface ActiveClerkSession {
  token: string;
  session: ClerkSessionEntity;
  clerk: ClerkEntity;
  account: VerifierAccountEntity;
}

export function clerkView(c: ClerkEntity): ClerkView {
  return { id: c.id, verifierId: c.verifierId, username: c.username, displayName: c.displayName, role: c.role, createdAt: new Date(c.createdAt).toISOString() };
}

/** Clerks of verifier accounts (made by the admin or by the account's API key) and their counter sessions. */
@Injectable()
export class ClerksService {
  private readonly throttle: SignInThrottle;

  constructor(
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
    private readonly dataSource: DataSource,
  ) {
    // The verifier writes through its repositories, statement by statement; the throttle's statements are each
    // correct on their own (see SignInThrottle.fail), so they need no transaction of their own here.
    this.throttle = new SignInThrottle({ dataSource, write: (work) => work(dataSource.manager) }, CounterSignInFailureEntity, {
      perAccount: config.COUNTER_SIGN_IN_MAX_FAILURES,
      perIp: config.COUNTER_SIGN_IN_MAX_FAILURES_PER_IP,
      windowMs: config.COUNTER_SIGN_IN_WINDOW_MS,
    });
  }

  /** @throws GovcredError not_found (no such verifier account), clerk_username_taken */
  async create(verifierId: string, input: CreateClerkBody): Promise<ClerkView> {
    if (!(await this.dataSource.getRepository(VerifierAccountEntity).existsBy({ id: verifierId }))) {
      throw new GovcredError('not_found', 'no verifier account with this id');
    }
    const clerk: ClerkEntity = {
      id: randomUUID(),
      verifierId,
      username: input.username,
      displayName: input.displayName,
      role: input.role ?? 'clerk',
      passwordHash: await hashPassword(input.password),
      createdAt: this.now().getTime(),
    };
    const repository = this.dataSource.getRepository(ClerkEntity);
    // The unique index decides between replicas; the lookup only gives the usual case its own code.
    if (await repository.existsBy({ username: input.username })) throw new GovcredError('clerk_username_taken', 'this username is taken');
    try {
      await repository.insert(clerk);
    } catch (error) {
      if (await repository.existsBy({ username: input.username })) throw new GovcredError('clerk_username_taken', 'this username is taken');
      throw error;
    }
    return clerkView(clerk);
  }

  async list(verifierId: string): Promise<ClerkView[]> {
    return (await this.dataSource.getRepository(ClerkEntity).find({ where: { verifierId }, order: { createdAt: 'ASC', id: 'ASC' } })).map(clerkView);
  }

  /** Removes a clerk of `verifierId` and ends every session of theirs at once. @throws GovcredError clerk_not_found */
  async remove(verifierId: string, clerkId: string): Promise<void> {
    const removed = await this.dataSource.getRepository(ClerkEntity).delete({ id: clerkId, verifierId });
    if (!removed.affected) throw new GovcredError('clerk_not_found', 'no such clerk of this verifier account');
    await this.dataSource.getRepository(ClerkSessionEntity).delete({ clerkId });
  }

  /**
   * Checks a username and password and opens a session. Throttled per account and per client address before
   * the password is checked; an unknown username costs the same scrypt run as a known one.
   * @throws GovcredError too_many_attempts, sign_in_failed
   */
  async signIn(username: string, password: string, ip: string): Promise<{ token: string; view: ClerkSessionView }> {
    const accountKey = SignInThrottle.accountKey(username);
    const ipKey = SignInThrottle.ipKey(ip);
    const now = this.now();
    await this.throttle.check(accountKey, ipKey, now);
    const clerk = await this.dataSource.getRepository(ClerkEntity).findOneBy({ username });
    const ok = await verifyPassword(password, clerk?.passwordHash ?? (await decoyHash()));
    const account = clerk && ok ? await this.dataSource.getRepository(VerifierAccountEntity).findOneBy({ id: clerk.verifierId }) : null;
    if (!clerk || !ok || !account) {
      await this.throttle.fail(accountKey, ipKey, now);
      throw new GovcredError('sign_in_failed', 'wrong username or password');
    }
    await this.throttle.succeed(accountKey);
    const token = newSessionToken();
    const expiresAt = now.getTime() + this.config.COUNTER_SESSION_TTL_MS;
    const sessions = this.dataSource.getRepository(ClerkSessionEntity);
    await sessions.insert({ tokenHash: sessionKey(token), clerkId: clerk.id, verifierId: account.id, createdAt: now.getTime(), expiresAt });
    return { token, view: this.sessionView(clerk, account, token, expiresAt) };
  }

  /**
   * The session of a request's cookie; `unauthorized` when there is none or it expired (an expired row is removed
   * on the way). The clerk's account is read from the clerk row, never from the request.
   */
  async resolve(request: Request): Promise<ActiveClerkSession> {
    const token = presentedSessionToken(request, CLERK_SESSION_COOKIE);
    if (!token) throw new GovcredError('unauthorized', 'sign in first (no counter session)');
    const sessions = this.dataSource.getRepository(ClerkSessionEntity);
    const session = await sessions.findOneBy({ tokenHash: sessionKey(token) });
    if (!session) throw new GovcredError('unauthorized', 'the session ended: sign in again');
    if (session.expiresAt <= this.now().getTime()) {
      await sessions.delete({ tokenHash: session.tokenHash });
      throw new GovcredError('unauthorized', 'the session expired: sign in again');
    }
    const clerk = await this.dataSource.getRepository(ClerkEntity).findOneBy({ id: session.clerkId });
    const account = clerk ? await this.dataSource.getRepository(VerifierAccountEntity).findOneBy({ id: clerk.verifierId }) : null;
    if (!clerk || !account || clerk.verifierId !== session.verifierId) throw new GovcredError('unauthorized', 'the session ended: sign in again');
    return { token, session, clerk, account };
  }

  view(active: ActiveClerkSession): ClerkSessionView {
    return this.sessionView(active.clerk, active.account, active.token, active.session.expiresAt);
  }

  async signOut(active: ActiveClerkSession): Promise<void> {
    await this.dataSource.getRepository(ClerkSessionEntity).delete({ tokenHash: active.session.tokenHash });
  }

  /** Deletes expired sessions and failure counts whose window passed (idempotent, replica-safe). @returns rows deleted */
  async purge(): Promise<number> {
    const now = this.now().getTime();
    const sessions = await this.dataSource.getRepository(ClerkSessionEntity).delete({ expiresAt: LessThanOrEqual(now) });
    const windowStart = new Date(now - this.config.COUNTER_SIGN_IN_WINDOW_MS).toISOString();
    const failures = await this.dataSource.getRepository(CounterSignInFailureEntity).delete({ windowStart: LessThanOrEqual(windowStart) });
    return (sessions.affected ?? 0) + (failures.affected ?? 0);
  }

  private sessionView(clerk: ClerkEntity, account: VerifierAccountEntity, token: string, expiresAt: number): ClerkSessionView {
    return {
      clerk: clerkView(clerk),
      verifier: { id: account.id, name: { 'zh-CN': account.nameZh, en: account.nameEn }, ...(account.did ? { did: account.did } : {}) },
      csrfToken: csrfTokenFor(token),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }
}
