import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One copy of an SD-JWT VC issued in an OID4VCI batch: its own status index (and its own holder key, salts and
 * signature, which the issuer does not keep). The credential's record (`issued_credential`) holds the first
 * copy's index too; a status change of the credential is written to every copy's index, so revoking the
 * credential revokes every copy. Credentials issued singly have no rows here.
 */
@Entity('issued_credential_copy')
export class IssuedCredentialCopy {
  @PrimaryColumn('varchar', { length: 36 })
  agencyId!: string;

  /** Index in the agency's status lists (unique per agency, as every index). */
  @PrimaryColumn('integer')
  statusIndex!: number;

  @Index('ix_issued_credential_copy_credential')
  @Column('varchar', { length: 45 })
  credentialId!: string;

  /** Position of the copy in its batch (0 = the one the record names). */
  @Column('integer')
  copy!: number;

  @Column('varchar', { length: 30 })
  issuedAt!: string;
}
