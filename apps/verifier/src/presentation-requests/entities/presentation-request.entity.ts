import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/**
 * A presentation request: what was asked, by which verifier account, its single-use challenge, and the result of
 * its presentation (readable only by that account, and only for VERIFIER_RESULT_RETENTION_SECONDS).
 */
@Entity({ name: 'presentation_requests' })
export class PresentationRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Random, 256 bits, base64url; unique. */
  @Column({ type: 'varchar', length: 64, unique: true })
  challenge!: string;

  @Column({ type: 'varchar', length: 255 })
  domain!: string;

  /** The query, as JSON. */
  @Column({ type: 'text' })
  query!: string;

  /** The verifier account that made the request and alone reads its result; null for requests made before accounts. */
  @Column({ name: 'verifier_id', type: 'varchar', length: 36, nullable: true })
  verifierId!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  /** Set once, atomically, by the presentation that used the challenge. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;

  /**
   * The verification result, as JSON: of the presentation that used the challenge, or, while the request is
   * pending, of the latest attempt that answered the challenge but failed (it did not use the challenge up).
   */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  /** When `result` was stored: retention runs from here. */
  @Column({ name: 'result_at', type: 'bigint', nullable: true, transformer: epochMs })
  resultAt!: number | null;
}
