import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/**
 * A verifier account: a relying party (a bank, an employer, a department) that asks for presentations and alone
 * reads their results. Only a hash of its API key is kept.
 */
@Entity({ name: 'verifier_accounts' })
export class VerifierAccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 200 })
  nameZh!: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn!: string;

  /** Its did:ethr on the configured chain, registered on the VerifierRegistry; null in the legacy mode (no limit on what it asks). */
  @Column({ type: 'varchar', length: 120, nullable: true })
  did!: string | null;

  /** sha256 (hex) of the API key: keys are looked up by it. */
  @Column({ name: 'api_key_hash', type: 'varchar', length: 64, unique: true })
  apiKeyHash!: string;

  /**
   * The secp256k1 key of `did` (hex), sealed under VERIFIER_KEY_SECRET (see KeyBox): it signs the account's OpenID4VP
   * request objects. Null: the account cannot make OID4VP requests.
   */
  @Column({ name: 'signing_key', type: 'text', nullable: true })
  signingKey!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;
}
