import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/**
 * A signed-in counter session, in the database so every replica knows it. Keyed by the sha256 of the cookie's
 * random token, so a database dump holds no usable session; a row past `expiresAt` is refused and removed.
 */
@Entity({ name: 'counter_sessions' })
export class ClerkSessionEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('idx_counter_sessions_clerk')
  @Column({ name: 'clerk_id', type: 'varchar', length: 36 })
  clerkId!: string;

  @Column({ name: 'verifier_id', type: 'varchar', length: 36 })
  verifierId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Index('idx_counter_sessions_expires')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;
}
