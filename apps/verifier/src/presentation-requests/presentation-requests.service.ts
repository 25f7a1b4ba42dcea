import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GovcredError, type PresentationQuery, type VerificationResult } from '../../../../libs/credentials/src/index.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { PresentationRequestEntity } from './entities/presentation-request.entity.js';

/** A presentation request as the API shows it. */
export interface PresentationRequestView {
  id: string;
  challenge: string;
  domain: string;
  query: PresentationQuery;
  createdAt: string;
  expiresAt: string;
  /** `pending` until a presentation used the challenge or it expired. */
  state: 'pending' | 'completed' | 'expired';
  completedAt?: string;
  result?: VerificationResult;
}

/** Why a challenge cannot be used. */
export type ChallengeState =
  | { ok: true; request: PresentationRequestEntity }
  | { ok: false; code: 'challenge_unknown' | 'challenge_expired' | 'challenge_replayed'; request?: PresentationRequestEntity };

/** The clock of the service (overridable for tests). */
export const VERIFIER_CLOCK = Symbol('VERIFIER_CLOCK');

/** Presentation requests and their single-use, expiring challenges. */
@Injectable()
export class PresentationRequestsService {
  constructor(
    @InjectRepository(PresentationRequestEntity) private readonly repository: Repository<PresentationRequestEntity>,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
  ) {}

  /** Creates a request with a fresh 256-bit challenge, valid for CHALLENGE_TTL_SECONDS. */
  async create(query: PresentationQuery): Promise<PresentationRequestView> {
    const createdAt = this.now().getTime();
    const entity = this.repository.create({
      id: randomUUID(),
      challenge: randomBytes(32).toString('base64url'),
      domain: this.config.VERIFIER_DOMAIN,
      query: JSON.stringify(query),
      createdAt,
      expiresAt: createdAt + this.config.CHALLENGE_TTL_SECONDS * 1000,
      usedAt: null,
      result: null,
    });
    await this.repository.insert(entity);
    return this.view(entity);
  }

  /** @throws GovcredError not_found */
  async get(id: string): Promise<PresentationRequestView> {
    const entity = await this.repository.findOneBy({ id });
    if (!entity) throw new GovcredError('not_found', 'no presentation request with this id');
    return this.view(entity);
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
   * Marks the request used and stores `result`, atomically: one conditional UPDATE (`used_at IS NULL` and not
   * expired), so of two replicas receiving the same presentation only one can succeed.
   * @returns false when the challenge was used (or expired) in the meantime.
   */
  async consume(id: string, result: VerificationResult): Promise<boolean> {
    const now = this.now().getTime();
    const outcome = await this.repository
      .createQueryBuilder()
      .update(PresentationRequestEntity)
      .set({ usedAt: now, result: JSON.stringify(result) })
      .where('id = :id AND used_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    return outcome.affected === 1;
  }

  private view(entity: PresentationRequestEntity): PresentationRequestView {
    const state = entity.usedAt !== null ? 'completed' : entity.expiresAt <= this.now().getTime() ? 'expired' : 'pending';
    return {
      id: entity.id,
      challenge: entity.challenge,
      domain: entity.domain,
      query: JSON.parse(entity.query) as PresentationQuery,
      createdAt: new Date(entity.createdAt).toISOString(),
      expiresAt: new Date(entity.expiresAt).toISOString(),
      state,
      ...(entity.usedAt !== null ? { completedAt: new Date(entity.usedAt).toISOString() } : {}),
      ...(entity.result !== null ? { result: JSON.parse(entity.result) as VerificationResult } : {}),
    };
  }
}
