/** Every state of a record; the last two only on property titles (a mortgage, a transfer). */
export const STATES = ['active', 'suspended', 'revoked', 'encumbered', 'superseded'] as const;
export const TITLE_STATES: ReadonlyArray<(typeof STATES)[number]> = ['encumbered', 'superseded'];

/** An issued credential's record as `GET /credentials` and `GET /credentials/:id` answer it (the issuer keeps no claims). */
export interface CredentialRecord {
  id: string;
  type: string;
  state: (typeof STATES)[number];
  issuedAt: string;
  expiresAt: string | null;
  certificateNumber: string | null;
  /** Set on property titles only. */
  titleId: string | null;
  /** The certificate this one replaced by a transfer, and the one that replaced it. */
  predecessorId: string | null;
  successorId: string | null;
}
