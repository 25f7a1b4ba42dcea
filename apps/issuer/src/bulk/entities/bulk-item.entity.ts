import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** queued → taken (by one process, for a while; see BulkWorker) → issued or failed. */
export type BulkItemState = 'queued' | 'taken' | 'issued' | 'failed';

/**
 * One item of a bulk job. The request (claims) is kept only until the item is processed; the signed JWT
 * only until the agency fetched it or the retention ran out.
 */
// The worker's next queued items and a job's failed ones, in position order (migration 1767700000000).
@Index('ix_bulk_item_job_state', ['jobId', 'state', 'position'])
@Entity('bulk_item')
export class BulkItem {
  @PrimaryColumn('varchar', { length: 36 })
  jobId!: string;

  @PrimaryColumn('integer')
  position!: number;

  @Column('varchar', { length: 12 })
  state!: BulkItemState;

  @Column('text', { nullable: true })
  request!: string | null;

  /** The item's VC-API `options` as JSON (format, holder key), kept like `request` only until processed. */
  @Column('text', { nullable: true })
  options!: string | null;

  @Column('varchar', { length: 45, nullable: true })
  credentialId!: string | null;

  @Column('text', { nullable: true })
  jwt!: string | null;

  @Column('varchar', { length: 60, nullable: true })
  errorCode!: string | null;

  @Column('text', { nullable: true })
  errorDetails!: string | null;

  /** The token of the chunk that took the item (migration 1767800000000), while `taken`. */
  @Column('varchar', { length: 36, nullable: true })
  takenBy!: string | null;

  /** Until when (ISO 8601) the item stays with its taker; after that another process may take it over. */
  @Column('varchar', { length: 30, nullable: true })
  takenUntil!: string | null;
}
