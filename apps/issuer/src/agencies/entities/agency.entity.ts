import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An agency: a tenant of the issuer with its own did:ethr identity, keys (in Veramo's encrypted KMS), status
 * lists and API key. Only a hash of the API key is kept.
 */
@Entity('agency')
export class Agency {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 200 })
  nameZh!: string;

  @Column('varchar', { length: 200 })
  nameEn!: string;

  /** `did:ethr:<chain>:<identity>`; stays the same across key rotations. */
  @Column('varchar', { length: 120, unique: true })
  did!: string;

  /** The ERC-1056 identity address (owner of the status lists, accredited on the TrustRegistry). */
  @Column('varchar', { length: 42 })
  identityAddress!: string;

  /** Veramo key id of the current signing and controller key. */
  @Column('varchar', { length: 200 })
  keyId!: string;

  /** Ethereum address of the current key: the identity's ERC-1056 owner. */
  @Column('varchar', { length: 42 })
  keyAddress!: string;

  /**
   * Key replaced by the last rotation. Until `keyActiveFrom` it still signs: a credential must be signed by
   * the key that owns the identity at its issuance time, and the chain's clock (block time of changeOwner)
   * may run ahead of this machine's.
   */
  @Column('varchar', { length: 200, nullable: true })
  previousKeyId!: string | null;

  /** Block time of the changeOwner that made `keyId` the owner (ISO); null for the first key. */
  @Column('varchar', { length: 30, nullable: true })
  keyActiveFrom!: string | null;

  /** A rotation that was sent to the chain but not yet confirmed here (recovered at the next chain write). */
  @Column('varchar', { length: 200, nullable: true })
  pendingKeyId!: string | null;

  @Column('varchar', { length: 42, nullable: true })
  pendingKeyAddress!: string | null;

  /** Credential types the agency may issue. */
  @Column('simple-json')
  credentialTypes!: string[];

  /** sha256 (hex) of the API key. */
  @Column('varchar', { length: 64, unique: true })
  apiKeyHash!: string;

  @Column('integer')
  revocationListId!: number;

  @Column('integer')
  suspensionListId!: number;

  /** Property registries only: the list a title transfer sets (final); null until created on chain. */
  @Column('integer', { nullable: true })
  supersededListId!: number | null;

  /** Property registries only: the list a mortgage registration sets and its release clears. */
  @Column('integer', { nullable: true })
  encumberedListId!: number | null;

  @Column('varchar', { length: 30 })
  createdAt!: string;
}
