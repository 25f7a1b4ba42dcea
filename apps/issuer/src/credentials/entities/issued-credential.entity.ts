import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { CredentialFormat } from '../dto/issue-credential.dto.js';

/**
 * Requested status of an issued credential (what the agency asked for; anchoring may still be pending).
 * `superseded` (a property title transferred to a new certificate) is final like `revoked`; `encumbered` (a
 * mortgage registered on a property title) is lifted by a release.
 */
export const CREDENTIAL_STATES = ['active', 'suspended', 'revoked', 'superseded', 'encumbered'] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

/**
 * What the issuer keeps about a credential after issuing it: no claims. Enough to change its status, to
 * prove which index it holds, and to list an agency's credentials; nothing that describes the citizen beyond
 * the subject DID the credential was issued to.
 */
@Entity('issued_credential')
@Unique('uq_issued_credential_index', ['agencyId', 'statusIndex'])
export class IssuedCredential {
  /** `urn:uuid:…` */
  @PrimaryColumn('varchar', { length: 45 })
  id!: string;

  @Index()
  @Column('varchar', { length: 36 })
  agencyId!: string;

  @Column('varchar', { length: 100 })
  type!: string;

  /** `jwt_vc_json` or `dc+sd-jwt`. */
  @Column('varchar', { length: 20, default: 'jwt_vc_json' })
  format!: CredentialFormat;

  /** The holder DID; for an SD-JWT VC issued without one, its holder key's JWK Thumbprint URI (RFC 9278). */
  @Column('varchar', { length: 500 })
  subjectDid!: string;

  /** Index in both of the agency's status lists. */
  @Column('integer')
  statusIndex!: number;

  @Column('varchar', { length: 12 })
  state!: CredentialState;

  @Column('varchar', { length: 30 })
  issuedAt!: string;

  @Column('varchar', { length: 30, nullable: true })
  expiresAt!: string | null;

  @Column('varchar', { length: 30 })
  updatedAt!: string;

  /** Printable certificate number (see libs/credentials certificates/): where the status lives, with check characters. */
  @Column('varchar', { length: 32, nullable: true })
  certificateNumber!: string | null;

  /** Property titles: random id of the title, shared by every certificate of its chain. */
  @Column('varchar', { length: 66, nullable: true })
  titleId!: string | null;

  /** Property titles: keccak256 of the signed JWT, the hash the chain links by (the JWT itself is not kept). */
  @Column('varchar', { length: 66, nullable: true })
  credentialHash!: string | null;

  /** Property titles: the certificate this one superseded by transfer. */
  @Column('varchar', { length: 45, nullable: true })
  predecessorId!: string | null;

  /** Property titles: the certificate that superseded this one (set in the transfer's transaction). */
  @Column('varchar', { length: 45, nullable: true })
  successorId!: string | null;

  /** sha256 (hex) of the credential as issued (the compact JWT / SD-JWT): what re-issuance looks up in the audit log. */
  @Column('varchar', { length: 64, nullable: true })
  credentialDigest!: string | null;

  /** DID URL of the key that signed it (`#delegate-N`); null for credentials of an agency without key roles. */
  @Column('varchar', { length: 200, nullable: true })
  signingKid!: string | null;

  /** When it was re-issued after its key's compromise (single use: set by a conditional UPDATE); null otherwise. */
  @Column('varchar', { length: 30, nullable: true })
  reissuedAt!: string | null;
}
