import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.js';

/** Where an OpenID4VP request stands, for the account that made it. */
export type Oid4vpRequestStatus = 'pending' | 'verified' | 'refused';

/**
 * An OpenID4VP request of a verifier account: its signed request object (handed out once), single-use nonce
 * and state, the key `direct_post.jwt` responses are encrypted to, and the result (readable only by that
 * account, for VERIFIER_RESULT_RETENTION_SECONDS).
 */
@Entity({ name: 'oid4vp_requests' })
export class Oid4vpRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'verifier_id', type: 'varchar', length: 36 })
  verifierId!: string;

  /** `decentralized_identifier:<did:ethr>`: the KB-JWT / VP `aud`. */
  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  nonce!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  state!: string;

  @Column({ name: 'response_mode', type: 'varchar', length: 20 })
  responseMode!: 'direct_post' | 'direct_post.jwt';

  /** The DCQL query, as JSON. */
  @Column({ name: 'dcql_query', type: 'text' })
  dcqlQuery!: string;

  /** The purpose in both languages, as JSON. */
  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  /** The signed request object (JAR, compact JWS). */
  @Column({ name: 'request_object', type: 'text' })
  requestObject!: string;

  /**
   * Private JWK (as JSON) of this request's ephemeral ECDH key, for `direct_post.jwt`. Kept beside the result it
   * protects and deleted with it; it decrypts nothing but this request's response.
   */
  @Column({ name: 'response_key', type: 'text', nullable: true })
  responseKey!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  /** Set once, atomically, by the one fetch of the request object. */
  @Column({ name: 'fetched_at', type: 'bigint', nullable: true, transformer: epochMs })
  fetchedAt!: number | null;

  /** Set once, atomically, by the one response accepted. */
  @Column({ name: 'responded_at', type: 'bigint', nullable: true, transformer: epochMs })
  respondedAt!: number | null;

  @Column({ type: 'varchar', length: 16 })
  status!: Oid4vpRequestStatus;

  /** The verification result, as JSON. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  @Column({ name: 'result_at', type: 'bigint', nullable: true, transformer: epochMs })
  resultAt!: number | null;
}
