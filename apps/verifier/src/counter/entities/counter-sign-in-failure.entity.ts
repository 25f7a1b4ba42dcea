import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignInFailureRow } from '../../../../common/src/auth/sign-in-throttle.js';

/**
 * Failed counter sign-ins per key (`account:<username>` or `ip:<address>`) in the current window. In the
 * database, not in memory, so the limit holds across replicas and restarts.
 */
@Entity({ name: 'counter_sign_in_failures' })
export class CounterSignInFailureEntity implements SignInFailureRow {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'integer' })
  count!: number;

  /** Start of the window (ISO); the count starts again once the window has passed. */
  @Column({ name: 'window_start', type: 'varchar', length: 30 })
  windowStart!: string;
}
