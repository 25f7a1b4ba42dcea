import { MAX_SD_JWT_PRESENTATIONS, PROBLEM_CODES, VC_API_QUERY_SCHEMA, type PresentationQuery } from '../../../../../libs/credentials/src/index.js';

/** A credential or presentation: a compact JWT, or an object carrying it in `proof.jwt` (Veramo's form). */
const JWT_OR_ENVELOPE = {
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', required: ['proof'], properties: { proof: { type: 'object', required: ['jwt'], properties: { jwt: { type: 'string' } } } } },
  ],
} as const;

/**
 * Body of `POST /presentations/verify` (W3C VC-API shape, plus SD-JWT VCs): a VP-JWT of JWT VCs, SD-JWT VC
 * presentations (each ending in its Key Binding JWT), or both, all answering the same challenge and domain.
 */
export interface VerifyPresentationBody {
  verifiablePresentation?: unknown;
  sdJwtPresentations?: string[];
  options: { challenge: string; domain: string; query?: PresentationQuery };
}

export const VERIFY_PRESENTATION_SCHEMA = {
  type: 'object',
  required: ['options'],
  // At least one of the two (each branch names its property too: ajv's strictRequired wants it defined there).
  anyOf: [
    { properties: { verifiablePresentation: true }, required: ['verifiablePresentation'] },
    { properties: { sdJwtPresentations: true }, required: ['sdJwtPresentations'] },
  ],
  properties: {
    verifiablePresentation: { ...JWT_OR_ENVELOPE, description: 'The VP-JWT signed by the holder (JWT VCs, `jwt_vc_json`).' },
    sdJwtPresentations: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SD_JWT_PRESENTATIONS,
      // Sizes are the pipeline's to refuse, with a problem code (`sd_jwt_too_large`); the body limit bounds the whole.
      items: { type: 'string', minLength: 1 },
      description:
        'SD-JWT VC presentations (`dc+sd-jwt`, RFC 9901 compact form `<issuer-signed JWT>~<disclosure>~…~<KB-JWT>`), one ' +
        'credential each; every Key Binding JWT must carry `nonce` = options.challenge and `aud` = options.domain.',
    },
    options: {
      type: 'object',
      required: ['challenge', 'domain'],
      properties: {
        challenge: { type: 'string', minLength: 1, maxLength: 200, description: 'A challenge from `POST /challenges`.' },
        domain: { type: 'string', minLength: 1, maxLength: 255, description: 'The domain that came with it.' },
        query: {
          ...VC_API_QUERY_SCHEMA,
          description:
            'What the presentation must hold: a DCQL query (OpenID4VP 1.0 §6; `dc+sd-jwt` and `jwt_vc_json`), or the original ' +
            'shape (credential types, claim paths that must be disclosed, accepted issuers), judged as DCQL. Absent: any ' +
            'verified credential will do.',
        },
      },
    },
  },
} as const;

/** Body of `POST /credentials/verify`. */
export interface VerifyCredentialBody {
  verifiableCredential: unknown;
}

export const VERIFY_CREDENTIAL_SCHEMA = {
  type: 'object',
  required: ['verifiableCredential'],
  properties: {
    verifiableCredential: {
      ...JWT_OR_ENVELOPE,
      description: 'A VC-JWT signed by its issuer (`jwt_vc_json`), or an SD-JWT VC (`dc+sd-jwt`, a Key Binding JWT not required).',
    },
  },
} as const;

/** OpenAPI schema of every verification answer. */
export const VERIFICATION_RESULT_SCHEMA = {
  type: 'object',
  required: ['verified', 'checks', 'problems'],
  properties: {
    verified: { type: 'boolean', description: 'True only when every check passed.' },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          check: { type: 'string' },
          status: { type: 'string', enum: ['passed', 'failed', 'skipped'] },
          path: { type: 'string' },
        },
      },
    },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        properties: { code: { type: 'string', enum: [...PROBLEM_CODES] }, message: { type: 'string' }, path: { type: 'string' } },
      },
    },
    holder: { type: 'string' },
    credentials: {
      type: 'array',
      items: { type: 'object' },
      description:
        'What each credential whose signature held says: for an SD-JWT VC (`format: dc+sd-jwt`) only the claims its holder disclosed.',
    },
  },
} as const;

/**
 * What a wallet (a caller without an API key) gets back from `POST /presentations/verify`: the outcome and the
 * problem codes, nothing that could carry data from the presentation (no checks, claims, holder or messages).
 */
export interface PresentationOutcome {
  verified: boolean;
  problems: Array<{ code: string; path: string }>;
}

/** Paths are built by the pipeline from structure (`verifiableCredential[0]`, `options.challenge`); anything else is dropped. */
const STRUCTURAL_PATH = /^[A-Za-z0-9_.[\]]{0,200}$/;

/** The wallet's view of a verification result. */
export function presentationOutcome(result: { verified: boolean; problems: Array<{ code: string; path: string }> }): PresentationOutcome {
  return {
    verified: result.verified,
    problems: result.problems.map((p) => ({ code: p.code, path: STRUCTURAL_PATH.test(p.path) ? p.path : '' })),
  };
}

export const PRESENTATION_OUTCOME_SCHEMA = {
  type: 'object',
  required: ['verified', 'problems'],
  properties: {
    verified: VERIFICATION_RESULT_SCHEMA.properties.verified,
    problems: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string', enum: [...PROBLEM_CODES] }, path: { type: 'string' } } },
    },
  },
} as const;
