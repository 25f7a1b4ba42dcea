import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A status index taken in an agency's lists: reserved before the credential holding it is signed. The unique
 * (agencyId, statusIndex) makes the database the one arbiter between replicas, so a credential is never signed
 * with an index another replica holds (no re-signing). A row stays after its credential is recorded: the
 * table is the set of indexes in use.
 */
@Entity('status_index')
@Unique('uq_status_index', ['agencyId', 'statusIndex'])
export class StatusIndexReservation {
  /** Insertion order: lets a replica read what the others reserved since it last looked. */
  @PrimaryGeneratedColumn('increment')
  seq!: number;

  @Column('varchar', { length: 36 })
  agencyId!: string;

  @Column('integer')
  statusIndex!: number;

  /** Random id of the reserving batch: tells a replica which of its candidates it won. */
  @Column('varchar', { length: 36 })
  batch!: string;

  @Column('varchar', { length: 30 })
  reservedAt!: string;
}
