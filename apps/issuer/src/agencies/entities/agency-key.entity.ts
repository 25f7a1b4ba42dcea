import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a key does for its agency: signs credentials (ERC-1056 attribute) or writes status (ERC-1056 delegate). */
export type AgencyKeyRole = 'signing' | 'writer';

/**
 * - `pending`: created in the KMS, waiting for the owner's signature of its ERC-1056 call (`pendingCall`);
 * - `active`: on chain; a signing key signs from `activeFrom` on, until the next one takes over;
 * - `retired`: replaced by routine rotation; still listed on chain (old credentials keep verifying), private key deleted;
 * - `revoked`: revoked on chain (compromise): every credential it signed fails everywhere.
 */
export type AgencyKeyState = 'pending' | 'active' | 'retired' | 'revoked';

/** One signing or writer key an agency has had: its public half forever, its private half only while in use. */
@Entity('agency_key')
@Index('ix_agency_key_agency', ['agencyId', 'role', 'state'])
export class AgencyKey {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  agencyId!: string;

  @Column('varchar', { length: 10 })
  role!: AgencyKeyRole;

  /** The key's Ethereum address (a writer delegate is named by it). */
  @Column('varchar', { length: 42 })
  address!: string;

  /** Compressed secp256k1 public key (hex, no 0x): a signing key's ERC-1056 attribute value. */
  @Column('varchar', { length: 140 })
  publicKeyHex!: string;

  /** Veramo KMS key id; null once the private key is deleted. */
  @Column('varchar', { length: 200, nullable: true })
  kmsKeyId!: string | null;

  /** Signing keys: the `did:ethr:…#delegate-N` DID URL credentials name in their `kid` header. */
  @Column('varchar', { length: 200, nullable: true })
  kid!: string | null;

  /** End of its ERC-1056 validity (ISO). */
  @Column('varchar', { length: 30 })
  validTo!: string;

  /** When the issuer starts to sign with it (ISO): not before its block is final and its block time has passed. */
  @Column('varchar', { length: 30, nullable: true })
  activeFrom!: string | null;

  @Column('varchar', { length: 12 })
  state!: AgencyKeyState;

  @Column('varchar', { length: 66, nullable: true })
  txHash!: string | null;

  @Column('integer', { nullable: true })
  blockNumber!: number | null;

  /** JSON of the ERC-1056 call(s) waiting for the owner's signature, with the hash to sign. */
  @Column('text', { nullable: true })
  pendingCall!: string | null;

  /** Why it was replaced or revoked: `rotation`, `compromised`, `renewal`. */
  @Column('varchar', { length: 20, nullable: true })
  reason!: string | null;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  revokedAt!: string | null;

  /** The block of a compromised key's revocation: re-issuance accepts only credentials anchored before it. */
  @Column('integer', { nullable: true })
  revokedBlock!: number | null;
}
