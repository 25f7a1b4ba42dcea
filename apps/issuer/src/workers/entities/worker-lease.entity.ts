import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who runs a background worker now. Taken and renewed by conditional UPDATEs, so among replicas that all
 * run workers exactly one holds each lease; `epoch` grows with every new holder and fences out a holder that
 * lost its lease (its writes check holder and epoch in their own transaction).
 */
@Entity('worker_lease')
export class WorkerLease {
  @PrimaryColumn('varchar', { length: 60 })
  name!: string;

  /** Random id of the holding process, or null when released. */
  @Column('varchar', { length: 36, nullable: true })
  holder!: string | null;

  @Column('integer', { default: 0 })
  epoch!: number;

  /** ISO time after which another replica may take the lease. */
  @Column('varchar', { length: 30 })
  expiresAt!: string;
}
