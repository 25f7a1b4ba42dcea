import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The audit anchoring outbox: one row per anchor of the audit log, planned (`pending`) before its transaction
 * is sent and marked `anchored` with that transaction once mined. `index` is the anchor's number in the
 * on-chain stream, so planning twice is impossible (primary key) and a transaction that was mined but not
 * recorded is recognised from the contract's anchor count and the `Anchored` log with this index.
 */
@Entity('audit_anchor')
@Index('ix_audit_anchor_range', ['firstSeq', 'lastSeq'])
export class AuditAnchor {
  /** The anchor's number in the stream, from 0 (the contract's `Anchored.index`). */
  @PrimaryColumn('integer')
  index!: number;

  @Column('integer')
  firstSeq!: number;

  @Column('integer')
  lastSeq!: number;

  @Column('integer')
  count!: number;

  /** 0x-hex RFC 9162 Merkle root over the entries' hashes. */
  @Column('varchar', { length: 66 })
  root!: string;

  @Column('varchar', { length: 12 })
  state!: 'pending' | 'anchored';

  /** Chain height when planned: the anchor's log, if sent, is at or after this block. */
  @Column('integer')
  fromBlock!: number;

  @Column('varchar', { length: 66, nullable: true })
  txHash!: string | null;

  @Column('integer', { nullable: true })
  blockNumber!: number | null;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  anchoredAt!: string | null;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('varchar', { length: 500, nullable: true })
  lastError!: string | null;
}
