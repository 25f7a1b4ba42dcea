import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/**
 * A challenge (VP `nonce`) handed out by `POST /challenges`: owned by one verifier account, single use, expiring.
 * Deleted by the purge loop once past VERIFIER_RESULT_RETENTION_SECONDS.
 */
@Entity({ name: 'challenges' })
export class ChallengeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Random, 256 bits, base64url; unique. */
  @Column({ type: 'varchar', length: 64, unique: true })
  challenge!: string;

  @Column({ type: 'varchar', length: 255 })
  domain!: string;

  /** The verifier account that asked for the challenge; null for challenges made before accounts. */
  @Column({ name: 'verifier_id', type: 'varchar', length: 36, nullable: true })
  verifierId!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  /** Set once, atomically, by the presentation that used the challenge. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;
}
