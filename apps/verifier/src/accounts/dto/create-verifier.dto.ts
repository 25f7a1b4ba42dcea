/** A verifier's name in both languages of the system. */
export interface VerifierName {
  'zh-CN': string;
  en: string;
}

/** Body of `POST /admin/verifiers`. */
export interface CreateVerifierBody {
  /** Both languages, or one name used for both. */
  name: string | VerifierName;
  did?: string;
  /** The secp256k1 private key (hex) of `did`, to sign OpenID4VP request objects; kept encrypted at rest. */
  signingKey?: string;
}

const NAME = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;

/** JSON Schema of {@link CreateVerifierBody} (validation and OpenAPI). */
export const CREATE_VERIFIER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      oneOf: [NAME, { type: 'object', additionalProperties: false, required: ['zh-CN', 'en'], properties: { 'zh-CN': NAME, en: NAME } }],
    },
    did: {
      type: 'string',
      maxLength: 120,
      pattern: '^did:ethr:0x[0-9a-fA-F]+:0x[0-9a-fA-F]{40}$',
      description:
        "The verifier's did:ethr on this chain. It must be registered on the VerifierRegistry, and the account then asks " +
        'only within that registration. Omit it for the legacy mode (no registration, no limit).',
    },
    signingKey: {
      type: 'string',
      pattern: '^(0x)?[0-9a-fA-F]{64}$',
      description:
        "The secp256k1 private key (hex) whose address is the did:ethr's identity: the verifier signs the account's OpenID4VP " +
        'request objects with it (client_id `decentralized_identifier:<did>`). Kept encrypted under VERIFIER_KEY_SECRET, never shown again. Requires `did`.',
    },
  },
  example: { name: { 'zh-CN': '示例用人单位', en: 'Example Employer' } },
} as const;

/** A verifier account as the admin API shows it (never its key or the key's hash). */
export interface VerifierAccountView {
  id: string;
  name: VerifierName;
  did?: string;
  /** Whether the verifier holds the DID's signing key (the account can make OpenID4VP requests). */
  signsRequests: boolean;
  createdAt: string;
}

/** What `POST /admin/verifiers` answers: the account and its API key, shown this once. */
export interface CreatedVerifierAccount extends VerifierAccountView {
  apiKey: string;
}

export const VERIFIER_ACCOUNT_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'signsRequests', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'object', properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } } },
    did: { type: 'string' },
    signsRequests: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const CREATED_VERIFIER_ACCOUNT_SCHEMA = {
  ...VERIFIER_ACCOUNT_SCHEMA,
  required: [...VERIFIER_ACCOUNT_SCHEMA.required, 'apiKey'],
  properties: {
    ...VERIFIER_ACCOUNT_SCHEMA.properties,
    apiKey: { type: 'string', description: 'Send as `x-api-key`. Shown only in this answer: the verifier keeps only its hash.' },
  },
} as const;
