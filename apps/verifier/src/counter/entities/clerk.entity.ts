import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/** What a clerk may do at the counter page (and nothing else). */
export type ClerkRole = 'clerk';
export const CLERK_ROLES: readonly ClerkRole[] = ['clerk'];

/**
 * A person working at the counter of one verifier account, signing in to the counter page. Only a scrypt hash of
 * the password is kept; the account is fixed for life, so a session can never act for another verifier.
 */
@Entity({ name: 'counter_clerks' })
export class ClerkEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_counter_clerks_verifier')
  @Column({ name: 'verifier_id', type: 'varchar', length: 36 })
  verifierId!: string;

  /** Unique across verifier accounts, so sign-in needs no account picker. */
  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 12 })
  role!: ClerkRole;

  /** `scrypt$N$r$p$salt$hash` (see apps/common/src/auth/password.ts). */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
