import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins per key (`account:<username>` or `ip:<address>`) in the current window. In the database, not
 * in memory, so the limit holds across replicas and restarts.
 */
@Entity('staff_sign_in_failure')
export class SignInFailure {
  @PrimaryColumn('varchar', { length: 120 })
  key!: string;

  @Column('integer')
  count!: number;

  /** Start of the window (ISO); the count starts again once the window has passed. */
  @Column('varchar', { length: 30 })
  windowStart!: string;
}
