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

  /**
   * The identity's ERC-1056 owner (governance, never held by the issuer). Null for an agency created before key
   * roles: the issuer then holds its single owner key (`keyId`), which signs credentials and writes status.
   */
  @Column('varchar', { length: 42, nullable: true })
  ownerAddress!: string | null;

  /** Veramo key id of the current credential signing key (of the owner key for an agency without roles). */
  @Column('varchar', { length: 200 })
  keyId!: string;

  /** Ethereum address of the current signing key (the owner's for an agency without roles). */
  @Column('varchar', { length: 42 })
  keyAddress!: string;

  /** DID URL (`#delegate-N`) of the current signing key: the `kid` of every credential; null without roles. */
  @Column('varchar', { length: 200, nullable: true })
  signingKid!: string | null;

  /** DID URL of `previousKeyId`, which signs until `keyActiveFrom`. */
  @Column('varchar', { length: 200, nullable: true })
  previousSigningKid!: string | null;

  /** Veramo key id of the `govcred/statusWriter` delegate that sends status writes; null without roles. */
  @Column('varchar', { length: 200, nullable: true })
  writerKeyId!: string | null;

  @Column('varchar', { length: 42, nullable: true })
  writerAddress!: string | null;

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

  /**
   * Set (ISO) when a compromise of the signing key was opened, until its replacement is relayed: nothing is
   * signed meanwhile (`signing_key_compromised`). Checked by every replica from this row.
   */
  @Column('varchar', { length: 30, nullable: true })
  signingHaltedAt!: string | null;

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
