import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row naming the last audit entry. Every append locks it first (an UPDATE inside the appending
 * transaction), so appenders on any number of replicas queue on this row instead of racing for `max(seq)+1`:
 * the chain gets one next link at a time and never forks.
 */
@Entity('audit_head')
export class AuditHead {
  /** Always 1. */
  @PrimaryColumn('integer')
  id!: number;

  /** `seq` of the last entry (0 before the first). */
  @Column('integer')
  seq!: number;

  /** Hash of the last entry (the genesis hash before the first). */
  @Column('varchar', { length: 64 })
  hash!: string;
}
