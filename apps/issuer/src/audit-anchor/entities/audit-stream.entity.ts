import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The issuer's audit identity: the did:ethr whose ERC-1056 owner anchors the audit log (its stream in the
 * AuditAnchor contract). Its key lives in the KMS, encrypted at rest like the agency keys. One row.
 */
@Entity('audit_stream')
export class AuditStream {
  /** Always 1. */
  @PrimaryColumn('integer')
  id!: number;

  @Column('varchar', { length: 120 })
  did!: string;

  /** The stream's address in the AuditAnchor contract. */
  @Column('varchar', { length: 42 })
  identityAddress!: string;

  /** KMS key id of the key that currently owns the identity. */
  @Column('varchar', { length: 200 })
  keyId!: string;

  @Column('varchar', { length: 30 })
  createdAt!: string;
}
