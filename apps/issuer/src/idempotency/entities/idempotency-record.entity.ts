import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'in_progress' | 'done';

/**
 * An `Idempotency-Key` of an agency and the first answer given to it. The answer holds the signed credential
 * (the holder's data): it is kept only until `expiresAt` (IDEMPOTENCY_TTL_MS) and then purged.
 */
@Entity('idempotency_record')
@Index('ix_idempotency_expires', ['expiresAt'])
export class IdempotencyRecord {
  @PrimaryColumn('varchar', { length: 36 })
  agencyId!: string;

  @PrimaryColumn('varchar', { length: 255 })
  key!: string;

  /** sha256 of the route and the canonical JSON body: the same key with another request is refused. */
  @Column('varchar', { length: 64 })
  requestHash!: string;

  @Column('varchar', { length: 12 })
  state!: IdempotencyState;

  /** Random id of the attempt that holds the key: only it may store the answer (fencing a slow first attempt). */
  @Column('varchar', { length: 36 })
  attempt!: string;

  /** An attempt still `in_progress` after this ISO time is taken to have died; a retry may take over. */
  @Column('varchar', { length: 30 })
  lockedUntil!: string;

  @Column('integer', { nullable: true })
  status!: number | null;

  /** The answer's JSON body. */
  @Column('text', { nullable: true })
  body!: string | null;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30 })
  expiresAt!: string;
}
