import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '../../../common/src/config/load-config.js';
import { COUNTER_CONFIG_PROPERTIES, type CounterConfig } from '../counter/counter.config.js';
import { WEB_WALLET_CONFIG_PROPERTIES, WEB_WALLET_CONFIG_REQUIRED, type WebWalletConfig } from '../web-wallet/web-wallet.config.js';

/**
 * The verifier's settings, read from the environment and validated at boot. Its only inputs are
 * presentations and the chain: there is deliberately no issuer URL here.
 */
export interface VerifierConfig extends CounterConfig, WebWalletConfig {
  VERIFIER_HOST: string;
  VERIFIER_PORT: number;
  VERIFIER_CLUSTER_WORKERS?: number;
  DATABASE_URL?: string;
  VERIFIER_SQLITE_PATH: string;
  VERIFIER_SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL';
  CHAIN_RPC_URL: string;
  CHAIN_ID: number;
  DID_REGISTRY: string;
  TRUST_REGISTRY: string;
  STATUS_REGISTRY: string;
  VERIFIER_REGISTRY: string;
  DEPLOY_BLOCK: number;
  CHAIN_CONFIRMATIONS: number;
  CHAIN_POLL_INTERVAL_MS: number;
  MIRROR_MAX_STALENESS_SECONDS: number;
  VERIFIER_DOMAIN: string;
  CHALLENGE_TTL_SECONDS: number;
  CLOCK_SKEW_SECONDS: number;
  KB_JWT_MAX_AGE_SECONDS: number;
  VERIFIER_BODY_LIMIT: string;
  VERIFIER_ADMIN_TOKEN: string;
  VERIFIER_RESULT_RETENTION_SECONDS: number;
  VERIFIER_PURGE_INTERVAL_MS: number;
  VERIFIER_KEY_SECRET?: string;
  VERIFIER_PUBLIC_URL?: string;
}

const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const;

/** JSON Schema of {@link VerifierConfig}: each setting with its description and default. */
export const VERIFIER_CONFIG_SCHEMA: JSONSchemaType<VerifierConfig> = {
  type: 'object',
  required: ['CHAIN_RPC_URL', 'CHAIN_ID', 'DID_REGISTRY', 'TRUST_REGISTRY', 'STATUS_REGISTRY', 'VERIFIER_REGISTRY', 'VERIFIER_ADMIN_TOKEN', ...WEB_WALLET_CONFIG_REQUIRED],
  properties: {
    VERIFIER_HOST: { type: 'string', default: '127.0.0.1', description: 'Interface to listen on.' },
    VERIFIER_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3002, description: 'HTTP port (0: any free port).' },
    VERIFIER_CLUSTER_WORKERS: {
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: 256,
      description:
        'Worker processes serving HTTP on the one port (node:cluster), each with its own chain mirrors; unset: one per available core ' +
        '(os.availableParallelism()); 1: one process, no cluster. Workers share the database as replicas do (the SQLite file too).',
    },
    DATABASE_URL: { type: 'string', nullable: true, pattern: '^postgres(ql)?://', description: 'PostgreSQL URL; the SQLite file is used when unset.' },
    VERIFIER_SQLITE_PATH: { type: 'string', default: '.govcred/verifier.sqlite', description: 'SQLite file (created 0600) of accounts, challenges and OpenID4VP requests, when DATABASE_URL is unset.' },
    VERIFIER_SQLITE_SYNCHRONOUS: {
      type: 'string',
      enum: ['FULL', 'NORMAL'],
      default: 'NORMAL',
      description: 'SQLite fsync policy: NORMAL survives a process crash, FULL also a power loss (at a cost per verification).',
    },
    CHAIN_RPC_URL: { type: 'string', pattern: '^(https?|wss?)://', description: 'JSON-RPC endpoint of the chain.' },
    CHAIN_ID: { type: 'integer', minimum: 1, description: 'EIP-155 chain id; DIDs and status entries must name it.' },
    DID_REGISTRY: { ...address, description: 'ERC-1056 EthereumDIDRegistry address.' },
    TRUST_REGISTRY: { ...address, description: 'TrustRegistry address.' },
    STATUS_REGISTRY: { ...address, description: 'StatusRegistry address.' },
    VERIFIER_REGISTRY: {
      ...address,
      description:
        'VerifierRegistry address: which verifier DID may ask for which claims. Accounts with a `did` must be registered there ' +
        'and may ask only within their registration.',
    },
    DEPLOY_BLOCK: { type: 'integer', minimum: 0, default: 0, description: 'Block the registries were deployed in: the mirrors scan logs from here.' },
    CHAIN_CONFIRMATIONS: { type: 'integer', minimum: 0, maximum: 1000, default: 0, description: 'Blocks to wait before trusting a log.' },
    CHAIN_POLL_INTERVAL_MS: { type: 'integer', minimum: 50, maximum: 600000, default: 1000, description: 'How often the mirrors follow new blocks.' },
    MIRROR_MAX_STALENESS_SECONDS: {
      type: 'integer',
      minimum: 1,
      maximum: 86400,
      default: 60,
      description: 'After this long without reaching the chain, status and accreditation answers become unknown.',
    },
    VERIFIER_DOMAIN: { type: 'string', minLength: 1, maxLength: 255, default: 'verifier.govcred.localhost', description: 'Domain presentations must be addressed to (VP `aud`).' },
    CHALLENGE_TTL_SECONDS: { type: 'integer', minimum: 10, maximum: 86400, default: 300, description: 'Lifetime of a challenge (POST /challenges).' },
    CLOCK_SKEW_SECONDS: { type: 'integer', minimum: 0, maximum: 3600, default: 60, description: 'Tolerated clock difference for validity periods.' },
    KB_JWT_MAX_AGE_SECONDS: {
      type: 'integer',
      minimum: 10,
      maximum: 3600,
      default: 300,
      description: "How old an SD-JWT VC presentation's Key Binding JWT may be (its `iat`), beyond the clock skew.",
    },
    VERIFIER_BODY_LIMIT: {
      type: 'string',
      pattern: '^[0-9]+(b|kb|mb)$',
      default: '256kb',
      description: 'Largest body of the verify routes (a presentation with its credentials); every other route has a small limit of its own.',
    },
    VERIFIER_ADMIN_TOKEN: {
      type: 'string',
      minLength: 16,
      description: 'Admin API token (`Authorization: Bearer …` on /admin/verifiers): creates verifier accounts. No default.',
    },
    VERIFIER_RESULT_RETENTION_SECONDS: {
      type: 'integer',
      minimum: 60,
      maximum: 31536000,
      default: 86400,
      description:
        'How long an OpenID4VP result (it holds disclosed personal data), an expired request and a used or expired ' +
        'challenge are kept: never shown after this, and deleted by the purge loop.',
    },
    VERIFIER_PURGE_INTERVAL_MS: {
      type: 'integer',
      minimum: 50,
      maximum: 86400000,
      default: 60000,
      description: 'How often the purge loop deletes what is past retention (safe on several replicas).',
    },
    VERIFIER_KEY_SECRET: {
      type: 'string',
      nullable: true,
      pattern: '^[0-9a-fA-F]{64}$',
      description:
        "32-byte hex secret (`openssl rand -hex 32`) that encrypts verifier accounts' did:ethr signing keys at rest (AES-256-GCM); " +
        'the same on every replica. Without it no signing key can be imported, and OID4VP requests cannot be signed. No default.',
    },
    VERIFIER_PUBLIC_URL: {
      type: 'string',
      nullable: true,
      pattern: '^https?://[^/]+$',
      description:
        'Origin wallets reach this verifier at (request_uri and response_uri of OID4VP requests). When unset, the origin the ' +
        'request creating the OID4VP request was sent to.',
    },
    ...COUNTER_CONFIG_PROPERTIES,
    ...WEB_WALLET_CONFIG_PROPERTIES,
  },
  additionalProperties: false,
};

/** Reads and validates the verifier's settings; throws naming every problem. */
export function loadVerifierConfig(env: Record<string, string | undefined> = process.env): VerifierConfig {
  return loadConfig(VERIFIER_CONFIG_SCHEMA, env);
}

/** Injection token of the settings. */
export const VERIFIER_CONFIG = Symbol('VERIFIER_CONFIG');
