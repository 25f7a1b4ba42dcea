/**
 * What crosses the wire between the counter page and the verifier: request bodies (with their JSON Schemas,
 * used for validation and OpenAPI) and answers. No framework imports: the page (apps/web) shares these types.
 */
import type { CheckLanguage, CheckRefusal, CounterCheck, CounterOptions } from '../../../../../libs/credentials/src/checks/index.js';
// Single files, not the capability's index: the page's type-check must not reach node-only modules.
import type { ProblemCode } from '../../../../../libs/credentials/src/verification/problem-codes.js';

export type { CheckLanguage, CheckRefusal, CounterCheck, CounterOptions };

/** Body of `POST /admin/verifiers/:id/clerks` and `POST /counter/clerks`. */
export interface CreateClerkBody {
  /** Unique across verifier accounts: 3–64 of a-z 0-9 . _ - */
  username: string;
  displayName: string;
  /** @default 'clerk' */
  role?: 'clerk';
  /** Initial password, 12–200 characters (only a scrypt hash is kept). */
  password: string;
}

export const CREATE_CLERK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'displayName', 'password'],
  properties: {
    username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', description: 'Unique across verifier accounts: 3–64 of a-z 0-9 . _ -' },
    displayName: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    role: { type: 'string', enum: ['clerk'], description: 'clerk: asks checks at the counter page and sees their own history' },
    password: { type: 'string', minLength: 12, maxLength: 200, description: 'Initial password (only a scrypt hash is kept)' },
  },
  example: { username: 'bank.counter1', displayName: '王小明', password: 'a long passphrase' },
} as const;

/** A clerk as the APIs show it (never the password hash). */
export interface ClerkView {
  id: string;
  verifierId: string;
  username: string;
  displayName: string;
  role: 'clerk';
  createdAt: string;
}

/** Body of `POST /counter/session`. */
export interface ClerkSignInBody {
  username: string;
  password: string;
}

export const CLERK_SIGN_IN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

/** What the counter page learns about its session. */
export interface ClerkSessionView {
  clerk: ClerkView;
  verifier: { id: string; name: Record<CheckLanguage, string>; did?: string };
  /** Echo in `x-csrf-token` on every state-changing request. */
  csrfToken: string;
  expiresAt: string;
}

/** Body of `POST /counter/checks`: a preset (with its parameter) or a composed check. */
export type CreateCheckBody = { preset: string; parameter?: string } | { compose: { type: string; claims: string[][] } };

export const CREATE_CHECK_SCHEMA = {
  type: 'object',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['preset'],
      properties: { preset: { type: 'string', maxLength: 32 }, parameter: { type: 'string', maxLength: 40 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['compose'],
      properties: {
        compose: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'claims'],
          properties: {
            type: { type: 'string', maxLength: 64 },
            claims: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'array', minItems: 1, maxItems: 4, items: { type: 'string', minLength: 1, maxLength: 64 } } },
          },
        },
      },
    },
  ],
  example: { preset: 'over_18' },
} as const;

/** Where a check stands. */
export type CheckStatus = 'pending' | 'verified' | 'refused' | 'expired';

/** A disclosed claim as the counter shows it: the type's label and the value, nothing else. */
export interface ShownClaim {
  path: string[];
  labels: Record<CheckLanguage, string>;
  value: unknown;
  /** The catalog's words for a coded value (`本科` / `Bachelor's` for `bachelor`), or a structured value's members under their labels (co-owners, the region); absent for other values. */
  valueLabels?: Record<CheckLanguage, string>;
}

/** A check as the page shows it: what was asked, where it stands, and once answered the outcome. */
export interface CounterCheckView {
  id: string;
  check: CounterCheck;
  /** The preset's (or the composed type's) name. */
  labels: Record<CheckLanguage, string>;
  status: CheckStatus;
  createdAt: string;
  expiresAt: string;
  /** Once answered (until retention ends): each verification check passed or failed, the problems' codes, the asked claims disclosed. */
  outcome?: {
    verified: boolean;
    checks: Array<{ check: string; status: 'passed' | 'failed' | 'skipped' }>;
    problems: ProblemCode[];
    claims: ShownClaim[];
    /**
     * The verified property title is encumbered (抵押登记, set on chain by its registry): still valid, and said
     * beside the green line, as a bank taking the title as security must know. Absent otherwise.
     */
    encumbered?: true;
  };
}

/** What `POST /counter/checks` answers: the check and the link (and QR content) for the citizen's wallet. */
export interface CreatedCounterCheck extends CounterCheckView {
  /** `openid4vp://…`: shown as a QR code and a copyable link. */
  authorizationRequestUri: string;
}

/** One line of the clerk's history. */
export interface CounterHistoryEntry {
  id: string;
  labels: Record<CheckLanguage, string>;
  status: CheckStatus;
  createdAt: string;
}
