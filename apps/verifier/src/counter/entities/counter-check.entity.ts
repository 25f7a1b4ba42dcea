import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/**
 * A check a clerk asked at the counter: the OpenID4VP request it made (same id) and what was asked. It holds no
 * personal data (the district of a property check is the verifier's own input); the outcome is the request's,
 * and the row is purged once the request is past the result retention.
 */
@Entity({ name: 'counter_checks' })
export class CounterCheckEntity {
  /** The id of its OpenID4VP request. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'verifier_id', type: 'varchar', length: 36 })
  verifierId!: string;

  @Index('idx_counter_checks_clerk')
  @Column({ name: 'clerk_id', type: 'varchar', length: 36 })
  clerkId!: string;

  /** The preset's id; null for a composed check. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  preset!: string | null;

  /** The {@link CounterCheck} asked (type and claims), as JSON. */
  @Column({ name: 'check_spec', type: 'text' })
  checkSpec!: string;

  @Index('idx_counter_checks_created')
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
