import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What an agency asks of a credential's status; `supersede` only comes from a title transfer. */
export type StatusAction = 'revoke' | 'suspend' | 'reinstate' | 'encumber' | 'release' | 'supersede';
export type AnchorState = 'pending' | 'anchored';

/**
 * The status outbox: one row per accepted status change, written in the same transaction as its audit entry
 * before the client hears 202. The anchoring worker sends pending rows to the chain in order (`seq`) and marks
 * them anchored with the transaction that carried them.
 */
@Entity('status_change')
@Index('ix_status_change_pending', ['state', 'agencyId', 'seq'])
export class StatusChange {
  /** Order of acceptance: changes of one index reach the chain in this order. */
  @PrimaryGeneratedColumn('increment')
  seq!: number;

  @Column('varchar', { length: 36, unique: true })
  id!: string;

  @Column('varchar', { length: 36 })
  agencyId!: string;

  @Index()
  @Column('varchar', { length: 45 })
  credentialId!: string;

  @Column('varchar', { length: 12 })
  action!: StatusAction;

  @Column('integer')
  listId!: number;

  /** StatusOperation: 0 = Set, 1 = Clear. */
  @Column('integer')
  operation!: number;

  @Column('integer')
  statusIndex!: number;

  @Column('varchar', { length: 12 })
  state!: AnchorState;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('varchar', { length: 500, nullable: true })
  lastError!: string | null;

  @Column('varchar', { length: 66, nullable: true })
  txHash!: string | null;

  @Column('integer', { nullable: true })
  blockNumber!: number | null;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  anchoredAt!: string | null;
}
