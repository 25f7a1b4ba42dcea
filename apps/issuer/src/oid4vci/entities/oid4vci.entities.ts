import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A credential offer (OID4VCI pre-authorized code). `context` holds the claims to issue until the offer is
 * redeemed or expires; the claims are deleted when the credential is issued (see Oid4vciTypeormStore).
 */
@Entity('oid4vci_offer')
export class Oid4vciOfferRow {
  @PrimaryColumn('varchar', { length: 64 })
  codeHash!: string;

  @Column('varchar', { length: 300 })
  credentialIssuer!: string;

  @Column('varchar', { length: 120 })
  configurationId!: string;

  @Column('varchar', { length: 64, nullable: true })
  txCodeHash!: string | null;

  @Column('integer')
  txCodeFailures!: number;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Index()
  @Column('varchar', { length: 30 })
  expiresAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  redeemedAt!: string | null;

  @Column('text')
  context!: string;
}

/** A c_nonce (OID4VCI 1.0 §7): single use, short-lived. */
@Entity('oid4vci_nonce')
export class Oid4vciNonceRow {
  @PrimaryColumn('varchar', { length: 100 })
  nonce!: string;

  @Column('varchar', { length: 300 })
  credentialIssuer!: string;

  @Index()
  @Column('varchar', { length: 30 })
  expiresAt!: string;
}

/** An access token, stored as its hash, bound to one redeemed offer. */
@Entity('oid4vci_access_token')
export class Oid4vciAccessTokenRow {
  @PrimaryColumn('varchar', { length: 64 })
  tokenHash!: string;

  @Column('varchar', { length: 300 })
  credentialIssuer!: string;

  @Column('varchar', { length: 64 })
  offerCodeHash!: string;

  @Column('varchar', { length: 120 })
  configurationId!: string;

  @Column('text')
  context!: string;

  @Index()
  @Column('varchar', { length: 30 })
  expiresAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  usedAt!: string | null;
}
