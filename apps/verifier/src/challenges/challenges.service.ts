import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { plainSql } from '../../../common/src/database/plain-sql.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { ChallengeEntity } from './entities/challenge.entity.js';

/** A challenge as `POST /challenges` answers it. */
export interface ChallengeView {
  challenge: string;
  domain: string;
  expiresAt: string;
}

/** Why a challenge cannot be used. */
export type ChallengeState =
  | { ok: true; entity: ChallengeEntity }
  | { ok: false; code: 'challenge_unknown' | 'challenge_expired' | 'challenge_replayed'; entity?: ChallengeEntity };

/** The clock of the service (overridable for tests). */
export const VERIFIER_CLOCK = Symbol('VERIFIER_CLOCK');

const CONSUME = 'UPDATE challenges SET used_at = $1 WHERE challenge = $2 AND domain = $3 AND used_at IS NULL AND expires_at > $4';
const CONSUME_OF_ACCOUNT = `${CONSUME} AND verifier_id = $5`;

/** Single-use, expiring challenges of verifier accounts (VC-API style presentation verification). */
@Injectable()
export class ChallengesService {
  constructor(
    @InjectRepository(ChallengeEntity) private readonly repository: Repository<ChallengeEntity>,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
  ) {}

  /** A fresh 256-bit challenge of `verifierId`, valid for CHALLENGE_TTL_SECONDS. */
  async create(verifierId: string): Promise<ChallengeView> {
    const createdAt = this.now().getTime();
    const entity = this.repository.create({
      id: randomUUID(),
      challenge: randomBytes(32).toString('base64url'),
      domain: this.config.VERIFIER_DOMAIN,
      verifierId,
      createdAt,
      expiresAt: createdAt + this.config.CHALLENGE_TTL_SECONDS * 1000,
      usedAt: null,
    });
    await this.repository.insert(entity);
    return { challenge: entity.challenge, domain: entity.domain, expiresAt: new Date(entity.expiresAt).toISOString() };
  }

  /** Whether `challenge` was handed out and is neither expired nor used. Reads only. */
  async lookup(challenge: string): Promise<ChallengeState> {
    // Plain SQL: one lookup per verification, where the query builder cost more than the query.
    const { rows } = await plainSql<Record<keyof ChallengeEntity, string | number | null>>(
      this.repository.manager.connection,
      'SELECT id, challenge, domain, verifier_id AS "verifierId", created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt" ' +
        'FROM challenges WHERE challenge = $1',
      [challenge],
    );
    if (rows.length === 0) return { ok: false, code: 'challenge_unknown' };
    const row = rows[0];
    const entity: ChallengeEntity = {
      id: String(row.id),
      challenge: String(row.challenge),
      domain: String(row.domain),
      verifierId: row.verifierId === null ? null : String(row.verifierId),
      createdAt: Number(row.createdAt),
      expiresAt: Number(row.expiresAt),
      usedAt: row.usedAt === null ? null : Number(row.usedAt),
    };
    if (entity.usedAt !== null) return { ok: false, code: 'challenge_replayed', entity };
    if (entity.expiresAt <= this.now().getTime()) return { ok: false, code: 'challenge_expired', entity };
    return { ok: true, entity };
  }

  /**
   * Uses `challenge` up for a presentation that verified, atomically: one conditional UPDATE (handed out for
   * `domain`, to the account `verifierId` when one calls, neither used nor expired), so of two replicas receiving
   * presentations for the same challenge only one can succeed. On the path of every accepted presentation, this is
   * its only statement.
   * @returns false when the challenge cannot be used (or was used in the meantime): {@link lookup} says why.
   */
  async consume(challenge: string, domain: string, verifierId?: string): Promise<boolean> {
    const now = this.now().getTime();
    const connection = this.repository.manager.connection;
    const outcome =
      verifierId === undefined
        ? await plainSql(connection, CONSUME, [now, challenge, domain, now])
        : await plainSql(connection, CONSUME_OF_ACCOUNT, [now, challenge, domain, now, verifierId]);
    return outcome.affected === 1;
  }

  /**
   * Deletes challenges expired or used longer than VERIFIER_RESULT_RETENTION_SECONDS ago (a used one is kept that
   * long so a replay is answered `challenge_replayed`, not `challenge_unknown`). A plain conditional statement:
   * idempotent, and safe when several replicas run it at once.
   * @returns how many challenges were deleted
   */
  async purge(): Promise<number> {
    const cutoff = this.now().getTime() - this.config.VERIFIER_RESULT_RETENTION_SECONDS * 1000;
    const deleted = await this.repository
      .createQueryBuilder()
      .delete()
      .from(ChallengeEntity)
      .where('expires_at <= :cutoff OR used_at <= :cutoff', { cutoff })
      .execute();
    return deleted.affected ?? 0;
  }
}
