import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Epoch milliseconds stored as BIGINT: drivers hand BIGINT back as a string (pg) or a number (SQLite). */
const epochMs = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** A presentation request: what was asked, its single-use challenge, and the result of its presentation. */
@Entity({ name: 'presentation_requests' })
export class PresentationRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Random, 256 bits, base64url; unique. */
  @Column({ type: 'varchar', length: 64, unique: true })
  challenge!: string;

  @Column({ type: 'varchar', length: 255 })
  domain!: string;

  /** The query, as JSON. */
  @Column({ type: 'text' })
  query!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  /** Set once, atomically, by the presentation that used the challenge. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;

  /** The verification result of that presentation, as JSON. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;
}
