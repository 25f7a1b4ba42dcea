import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type BulkJobState = 'queued' | 'running' | 'done';

/** A bulk issuance job of one agency, processed in the background. */
// The bulk workers' oldest unfinished jobs (migration 1767800000000).
@Index('ix_bulk_job_state_created', ['state', 'createdAt'])
@Entity('bulk_job')
export class BulkJob {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Index()
  @Column('varchar', { length: 36 })
  agencyId!: string;

  @Column('varchar', { length: 12 })
  state!: BulkJobState;

  @Column('integer')
  total!: number;

  @Column('integer', { default: 0 })
  succeeded!: number;

  @Column('integer', { default: 0 })
  failed!: number;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  finishedAt!: string | null;

  /** When the signed credentials were deleted (after download or retention). */
  @Column('varchar', { length: 30, nullable: true })
  purgedAt!: string | null;
}
