import type { JSONSchemaType } from 'ajv';

/** Settings of staff accounts, portal sessions and the portal pages (part of the issuer's config schema). */
export interface StaffConfig {
  /** How long a portal session lasts after sign-in. */
  STAFF_SESSION_TTL_MS: number;
  /** `always`: session cookies are `Secure`; `auto`: also over plain http to a loopback address (the devnet). */
  STAFF_COOKIE_SECURE: 'always' | 'auto';
  /** Failed sign-ins per account within the window before the account is refused until it passes. */
  STAFF_SIGN_IN_MAX_FAILURES: number;
  /** Failed sign-ins per client address within the window (several accounts tried from one place). */
  STAFF_SIGN_IN_MAX_FAILURES_PER_IP: number;
  STAFF_SIGN_IN_WINDOW_MS: number;
  /** Folder of the built portal pages (`npm run build` writes dist/web/portal); not served when it has no index.html. */
  PORTAL_DIR: string;
}

export const STAFF_CONFIG_PROPERTIES: JSONSchemaType<StaffConfig>['properties'] = {
  STAFF_SESSION_TTL_MS: { type: 'integer', minimum: 1000, default: 8 * 3600_000, description: 'How long a portal (staff) session lasts after sign-in; then the member signs in again.' },
  STAFF_COOKIE_SECURE: {
    type: 'string',
    enum: ['always', 'auto'],
    default: 'auto',
    description: 'Session cookies are `Secure` (https only); `auto` leaves the flag off only for plain http to a loopback address (the devnet).',
  },
  STAFF_SIGN_IN_MAX_FAILURES: { type: 'integer', minimum: 1, default: 5, description: 'Failed sign-ins of one account within STAFF_SIGN_IN_WINDOW_MS before it is refused (429) until the window passes.' },
  STAFF_SIGN_IN_MAX_FAILURES_PER_IP: { type: 'integer', minimum: 1, default: 30, description: 'Failed sign-ins from one client address within STAFF_SIGN_IN_WINDOW_MS before it is refused (429).' },
  STAFF_SIGN_IN_WINDOW_MS: { type: 'integer', minimum: 1000, default: 15 * 60_000, description: 'Window of the sign-in failure counts (kept in the database: every replica sees them).' },
  PORTAL_DIR: { type: 'string', default: 'dist/web/portal', description: 'Built portal pages served at /portal (relative to the working folder); not served when the folder has no index.html.' },
};

export const STAFF_CONFIG_REQUIRED = [
  'STAFF_SESSION_TTL_MS',
  'STAFF_COOKIE_SECURE',
  'STAFF_SIGN_IN_MAX_FAILURES',
  'STAFF_SIGN_IN_MAX_FAILURES_PER_IP',
  'STAFF_SIGN_IN_WINDOW_MS',
  'PORTAL_DIR',
] as const satisfies ReadonlyArray<keyof StaffConfig>;
