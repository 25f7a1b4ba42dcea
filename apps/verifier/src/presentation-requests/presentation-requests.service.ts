import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GovcredError, type PresentationQuery, type VerificationResult } from '../../../../libs/credentials/src/index.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { PresentationRequestEntity } from './entities/presentation-request.entity.js';

/** A presentation request as a wallet reads it: what it needs to answer, never a result. */
export interface PublicPresentationRequestView {
  id: string;
  challenge: string;
  domain: string;
  query: PresentationQuery;
  expiresAt: string;
  /** `pending` until a presentation that verified used the challenge, or it expired. */
  state: 'pending' | 'completed' | 'expired';
}

/** A presentation request as its verifier account reads it. */
export interface PresentationRequestView extends PublicPresentationRequestView {
  createdAt: string;
  completedAt?: string;
  /**
   * `completed`: the result of the presentation that used the challenge. `pending`: the latest attempt that
   * answered the challenge but failed (the challenge stays open for the holder). Absent past retention.
   */
  result?: VerificationResult;
  resultAt?: string;
}

/** Why a challenge cannot be used. */
export type ChallengeState =
  | { ok: true; request: PresentationRequestEntity }
  | { ok: false; code: 'challenge_unknown' | 'challenge_expired' | 'challenge_replayed'; request?: PresentationRequestEntity };

/** The clock of the service (overridable for tests). */
export const VERIFIER_CLOCK = Symbol('VERIFIER_CLOCK');

const notFound = () => new GovcredError('not_found', 'no presentation request with this id');

/** Presentation requests, their single-use expiring challenges, and their results under retention. */
@Injectable()
export class PresentationRequestsService {
  constructor(
    @InjectRepository(PresentationRequestEntity) private readonly repository: Repository<PresentationRequestEntity>,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
  ) {}

  /** Creates a request of `verifierId` with a fresh 256-bit challenge, valid for CHALLENGE_TTL_SECONDS. */
  async create(query: PresentationQuery, verifierId: string): Promise<PresentationRequestView> {
    const createdAt = this.now().getTime();
    const entity = this.repository.create({
      id: randomUUID(),
      challenge: randomBytes(32).toString('base64url'),
      domain: this.config.VERIFIER_DOMAIN,
      query: JSON.stringify(query),
      verifierId,
      createdAt,
      expiresAt: createdAt + this.config.CHALLENGE_TTL_SECONDS * 1000,
      usedAt: null,
      result: null,
      resultAt: null,
    });
    await this.repository.insert(entity);
    return this.view(entity, this.cutoff());
  }

  /**
   * The request with its result, for the account that made it. Another account's request answers exactly as a
   * missing one, so ids reveal nothing. @throws GovcredError not_found
   */
  async getOwned(id: string, verifierId: string): Promise<PresentationRequestView> {
    const entity = await this.repository.findOneBy({ id });
    const cutoff = this.cutoff();
    if (!entity || entity.verifierId !== verifierId || this.pastRetention(entity, cutoff)) throw notFound();
    return this.view(entity, cutoff);
  }

  /** What a wallet needs to answer the request; never its result. @throws GovcredError not_found */
  async getPublic(id: string): Promise<PublicPresentationRequestView> {
    const entity = await this.repository.findOneBy({ id });
    if (!entity || this.pastRetention(entity, this.cutoff())) throw notFound();
    const { id: requestId, challenge, domain, query, expiresAt, state } = this.view(entity, 0);
    return { id: requestId, challenge, domain, query, expiresAt, state };
  }

  /** Whether `challenge` belongs to a request that is neither expired nor used. Reads only. */
  async lookup(challenge: string): Promise<ChallengeState> {
    const request = await this.repository.findOneBy({ challenge });
    if (!request) return { ok: false, code: 'challenge_unknown' };
    if (request.usedAt !== null) return { ok: false, code: 'challenge_replayed', request };
    if (request.expiresAt <= this.now().getTime()) return { ok: false, code: 'challenge_expired', request };
    return { ok: true, request };
  }

  /**
   * Marks the request used and stores `result` (of a presentation that verified completely), atomically: one
   * conditional UPDATE (`used_at IS NULL` and not expired), so of two replicas receiving presentations for the
   * same challenge only one can succeed.
   * @returns false when the challenge was used (or expired) in the meantime.
   */
  async consume(id: string, result: VerificationResult): Promise<boolean> {
    const now = this.now().getTime();
    const outcome = await this.repository
      .createQueryBuilder()
      .update(PresentationRequestEntity)
      .set({ usedAt: now, result: JSON.stringify(result), resultAt: now })
      .where('id = :id AND used_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    return outcome.affected === 1;
  }

  /**
   * Stores the result of a failed attempt for the account to see, leaving the challenge open; never over a
   * result that used the challenge (same condition as {@link consume}).
   */
  async recordFailedAttempt(id: string, result: VerificationResult): Promise<void> {
    const now = this.now().getTime();
    await this.repository
      .createQueryBuilder()
      .update(PresentationRequestEntity)
      .set({ result: JSON.stringify(result), resultAt: now })
      .where('id = :id AND used_at IS NULL AND expires_at > :now', { id, now })
      .execute();
  }

  /**
   * Deletes requests expired or completed longer than VERIFIER_RESULT_RETENTION_SECONDS ago, and clears failed
   * attempts' results of that age on requests still open. Plain conditional statements: idempotent, and safe
   * when several replicas run them at once.
   * @returns how many requests were deleted
   */
  async purge(): Promise<number> {
    const cutoff = this.cutoff();
    const deleted = await this.repository
      .createQueryBuilder()
      .delete()
      .from(PresentationRequestEntity)
      .where('expires_at <= :cutoff OR used_at <= :cutoff', { cutoff })
      .execute();
    await this.repository
      .createQueryBuilder()
      .update(PresentationRequestEntity)
      .set({ result: null, resultAt: null })
      .where('used_at IS NULL AND result_at <= :cutoff', { cutoff })
      .execute();
    return deleted.affected ?? 0;
  }

  /** Anything stored at or before this time (epoch ms) is past retention. */
  private cutoff(): number {
    return this.now().getTime() - this.config.VERIFIER_RESULT_RETENTION_SECONDS * 1000;
  }

  /** What the purge deletes is never read, even before the purge ran. */
  private pastRetention(entity: PresentationRequestEntity, cutoff: number): boolean {
    return entity.expiresAt <= cutoff || (entity.usedAt !== null && entity.usedAt <= cutoff);
  }

  private view(entity: PresentationRequestEntity, cutoff: number): PresentationRequestView {
    const state = entity.usedAt !== null ? 'completed' : entity.expiresAt <= this.now().getTime() ? 'expired' : 'pending';
    const showResult = entity.result !== null && entity.resultAt !== null && entity.resultAt > cutoff;
    return {
      id: entity.id,
      challenge: entity.challenge,
      domain: entity.domain,
      query: JSON.parse(entity.query) as PresentationQuery,
      createdAt: new Date(entity.createdAt).toISOString(),
      expiresAt: new Date(entity.expiresAt).toISOString(),
      state,
      ...(entity.usedAt !== null ? { completedAt: new Date(entity.usedAt).toISOString() } : {}),
      ...(showResult ? { result: JSON.parse(entity.result!) as VerificationResult, resultAt: new Date(entity.resultAt!).toISOString() } : {}),
    };
  }
}
