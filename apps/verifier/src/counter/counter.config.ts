import type { JSONSchemaType } from 'ajv';

/** Settings of the counter page: clerks' sessions, their sign-in limits and the built page (part of the verifier's config schema). */
export interface CounterConfig {
  /** How long a clerk's counter session lasts after sign-in. */
  COUNTER_SESSION_TTL_MS: number;
  /** `always`: session cookies are `Secure`; `auto`: also over plain http to a loopback address (the devnet). */
  COUNTER_COOKIE_SECURE: 'always' | 'auto';
  /** Failed sign-ins per clerk account within the window before it is refused until the window passes. */
  COUNTER_SIGN_IN_MAX_FAILURES: number;
  /** Failed sign-ins per client address within the window (several accounts tried from one place). */
  COUNTER_SIGN_IN_MAX_FAILURES_PER_IP: number;
  COUNTER_SIGN_IN_WINDOW_MS: number;
  /** Folder of the built counter page (`npm run build` writes dist/web/counter); `/` is not served when it has no index.html. */
  COUNTER_DIR: string;
}

export const COUNTER_CONFIG_PROPERTIES: JSONSchemaType<CounterConfig>['properties'] = {
  COUNTER_SESSION_TTL_MS: { type: 'integer', minimum: 1000, default: 8 * 3600_000, description: "How long a clerk's counter-page session lasts after sign-in; then the clerk signs in again." },
  COUNTER_COOKIE_SECURE: {
    type: 'string',
    enum: ['always', 'auto'],
    default: 'auto',
    description: 'Counter session cookies are `Secure` (https only); `auto` leaves the flag off only for plain http to a loopback address (the devnet).',
  },
  COUNTER_SIGN_IN_MAX_FAILURES: { type: 'integer', minimum: 1, default: 5, description: 'Failed sign-ins of one clerk within COUNTER_SIGN_IN_WINDOW_MS before the clerk is refused (429) until the window passes.' },
  COUNTER_SIGN_IN_MAX_FAILURES_PER_IP: { type: 'integer', minimum: 1, default: 30, description: 'Failed counter sign-ins from one client address within COUNTER_SIGN_IN_WINDOW_MS before it is refused (429).' },
  COUNTER_SIGN_IN_WINDOW_MS: { type: 'integer', minimum: 1000, default: 15 * 60_000, description: 'Window of the counter sign-in failure counts (kept in the database: every replica sees them).' },
  COUNTER_DIR: { type: 'string', default: 'dist/web/counter', description: 'Built counter page served at / (relative to the working folder); not served when the folder has no index.html.' },
};
