import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in portal session. The row is keyed by the sha256 of the cookie's random token, so a database dump
 * holds no usable session; a row past `expiresAt` is refused and removed.
 */
@Entity('staff_session')
export class StaffSession {
  /** sha256 (hex) of the session token. */
  @PrimaryColumn('varchar', { length: 64 })
  tokenHash!: string;

  @Index()
  @Column('varchar', { length: 36 })
  staffId!: string;

  @Column('varchar', { length: 36 })
  agencyId!: string;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30 })
  expiresAt!: string;
}
