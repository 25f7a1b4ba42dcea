import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entry of the append-only audit log. `hash` = sha256 over the canonical JSON (RFC 8785) of the entry's
 * other fields including `prevHash`, so editing or deleting any entry breaks every later link.
 */
@Entity('audit_entry')
export class AuditEntry {
  /** 1, 2, 3, … with no gaps; the primary key makes two writers unable to fork the chain. */
  @PrimaryColumn('integer')
  seq!: number;

  @Column('varchar', { length: 30 })
  at!: string;

  /** `admin` or `agency:<id>` or `worker`. */
  @Column('varchar', { length: 60 })
  actor!: string;

  @Column('varchar', { length: 36, nullable: true })
  agencyId!: string | null;

  @Column('varchar', { length: 60 })
  action!: string;

  /** Canonical JSON of the action's details (ids, types, indexes: never claims). */
  @Column('text')
  data!: string;

  @Column('varchar', { length: 64 })
  prevHash!: string;

  @Column('varchar', { length: 64 })
  hash!: string;
}
