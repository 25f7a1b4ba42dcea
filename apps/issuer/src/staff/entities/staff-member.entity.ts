import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a staff member may do in the portal (and nothing else). */
export type StaffRole = 'clerk' | 'officer' | 'auditor';
export const STAFF_ROLES: readonly StaffRole[] = ['clerk', 'officer', 'auditor'];

/**
 * A person working for one agency, signing in to the portal. Only a scrypt hash of the password is kept
 * (see password.ts); the agency is fixed for life, so a session can never act for another agency.
 */
@Entity('staff_member')
export class StaffMember {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Index()
  @Column('varchar', { length: 36 })
  agencyId!: string;

  /** Unique across agencies, so sign-in needs no agency picker. */
  @Column('varchar', { length: 64, unique: true })
  username!: string;

  @Column('varchar', { length: 200 })
  displayName!: string;

  @Column('varchar', { length: 12 })
  role!: StaffRole;

  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  @Column('varchar', { length: 200 })
  passwordHash!: string;

  @Column('varchar', { length: 30 })
  createdAt!: string;
}
