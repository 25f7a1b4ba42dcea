import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '../../../common/src/config/load-config.js';

/** Every setting of the issuer service, validated at boot (see {@link loadIssuerConfig}). */
export interface IssuerConfig {
  ISSUER_PORT: number;
  ISSUER_HOST: string;
  /** URL wallets reach this service at (OID4VCI Credential Issuer identifiers); http://HOST:PORT when unset. */
  ISSUER_PUBLIC_URL?: string;
  /** PostgreSQL URL; when unset the embedded SQLite file is used. */
  DATABASE_URL?: string;
  ISSUER_SQLITE_PATH: string;
  /** 32-byte hex secret that encrypts the private keys at rest (Veramo SecretBox). */
  ISSUER_KMS_SECRET: string;
  /** Token of the admin API (agencies, key rotation, audit). */
  ISSUER_ADMIN_TOKEN: string;
  CHAIN_RPC_URL: string;
  CHAIN_ID: number;
  DID_REGISTRY: string;
  TRUST_REGISTRY: string;
  STATUS_REGISTRY: string;
  /** AuditAnchor contract: when set, the audit log is anchored on chain (see AUDIT_ANCHOR_INTERVAL_MS). */
  AUDIT_ANCHOR?: string;
  /** An audit entry waits at most this long before it is anchored. */
  AUDIT_ANCHOR_INTERVAL_MS: number;
  /** Entries per anchor; this many unanchored entries are anchored at once, without waiting for the interval. */
  AUDIT_ANCHOR_MAX_ENTRIES: number;
  /** Governance key: when set (devnet), new agencies are accredited on the TrustRegistry directly. */
  GOVERNANCE_PRIVATE_KEY?: string;
  /** Funder key: when set, agency accounts are topped up with gas; unset on gas-free chains. */
  FUNDER_PRIVATE_KEY?: string;
  /** Interval of the status anchoring worker. */
  ANCHOR_INTERVAL_MS: number;
  /** Longest backoff of the anchoring worker while the chain is unreachable. */
  ANCHOR_MAX_BACKOFF_MS: number;
  /**
   * Whether this replica may run the anchoring and bulk workers. Safe on every replica: each worker runs under
   * a lease in the database, so exactly one replica runs it at a time.
   */
  ISSUER_WORKERS: boolean;
  /**
   * How long a worker lease lasts without renewal: a replica takes over the work of a holder that died after
   * this long. Longer than CHAIN_TX_TIMEOUT_MS, so a holder's last chain transaction is settled before anyone
   * else may anchor (checked at boot).
   */
  WORKER_LEASE_MS: number;
  /** How often a lease holder renews while idle, and how often a replica without the lease tries to take it. */
  WORKER_LEASE_RENEW_MS: number;
  /** How long the first answer to an `Idempotency-Key` (the signed credential: holder data) is kept. */
  IDEMPOTENCY_TTL_MS: number;
  /** Give up waiting for one chain transaction after this long (it is retried; re-applying is harmless). */
  CHAIN_TX_TIMEOUT_MS: number;
  /** Largest JSON body (bulk issuance requests are large). */
  ISSUER_BODY_LIMIT: string;
  /** Signed bulk results are deleted this long after the job finished. */
  BULK_RESULT_TTL_MS: number;
}

const HEX_ADDRESS = '^0x[0-9a-fA-F]{40}$';
const HEX_KEY = '^(0x)?[0-9a-fA-F]{64}$';

/** The JSON Schema of {@link IssuerConfig}: descriptions, defaults, and no key material in defaults. */
export const ISSUER_CONFIG_SCHEMA: JSONSchemaType<IssuerConfig> = {
  type: 'object',
  properties: {
    ISSUER_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3100, description: 'HTTP port' },
    ISSUER_HOST: { type: 'string', default: '127.0.0.1', description: 'HTTP bind address' },
    ISSUER_PUBLIC_URL: { type: 'string', nullable: true, pattern: '^https?://[^/]+(/.*)?$', description: 'public base URL for wallets' },
    DATABASE_URL: { type: 'string', nullable: true, pattern: '^postgres(ql)?://', description: 'PostgreSQL URL' },
    ISSUER_SQLITE_PATH: { type: 'string', default: '.govcred/issuer.sqlite', description: 'SQLite file' },
    ISSUER_KMS_SECRET: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: '32-byte hex key-encryption secret' },
    ISSUER_ADMIN_TOKEN: { type: 'string', minLength: 16, description: 'admin API token' },
    CHAIN_RPC_URL: { type: 'string', pattern: '^(https?|wss?)://', description: 'JSON-RPC endpoint' },
    CHAIN_ID: { type: 'integer', minimum: 1, description: 'EIP-155 chain id' },
    DID_REGISTRY: { type: 'string', pattern: HEX_ADDRESS, description: 'ERC-1056 registry' },
    TRUST_REGISTRY: { type: 'string', pattern: HEX_ADDRESS, description: 'TrustRegistry' },
    STATUS_REGISTRY: { type: 'string', pattern: HEX_ADDRESS, description: 'StatusRegistry' },
    AUDIT_ANCHOR: { type: 'string', nullable: true, pattern: HEX_ADDRESS, description: 'AuditAnchor contract (unset: the audit log is not anchored)' },
    AUDIT_ANCHOR_INTERVAL_MS: { type: 'integer', minimum: 10, default: 60_000, description: 'longest wait of an audit entry for its anchor' },
    AUDIT_ANCHOR_MAX_ENTRIES: { type: 'integer', minimum: 1, maximum: 100_000, default: 1000, description: 'audit entries per anchor (anchored at once when reached)' },
    GOVERNANCE_PRIVATE_KEY: { type: 'string', nullable: true, pattern: HEX_KEY, description: 'devnet governance key' },
    FUNDER_PRIVATE_KEY: { type: 'string', nullable: true, pattern: HEX_KEY, description: 'gas funder key' },
    ANCHOR_INTERVAL_MS: { type: 'integer', minimum: 10, default: 2000, description: 'anchoring interval' },
    ANCHOR_MAX_BACKOFF_MS: { type: 'integer', minimum: 10, default: 60000, description: 'longest retry backoff' },
    ISSUER_WORKERS: { type: 'boolean', default: true, description: 'may run the background workers (each under a database lease)' },
    WORKER_LEASE_MS: { type: 'integer', minimum: 100, default: 90_000, description: 'worker lease duration (> CHAIN_TX_TIMEOUT_MS)' },
    WORKER_LEASE_RENEW_MS: { type: 'integer', minimum: 10, default: 5000, description: 'worker lease renewal / take-over poll interval' },
    IDEMPOTENCY_TTL_MS: { type: 'integer', minimum: 0, default: 86_400_000, description: 'retention of answers stored per Idempotency-Key' },
    CHAIN_TX_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 60000, description: 'transaction wait limit' },
    ISSUER_BODY_LIMIT: { type: 'string', default: '16mb', description: 'largest JSON body' },
    BULK_RESULT_TTL_MS: { type: 'integer', minimum: 0, default: 86_400_000, description: 'bulk result retention' },
  },
  required: [
    'ISSUER_PORT',
    'ISSUER_HOST',
    'ISSUER_SQLITE_PATH',
    'ISSUER_KMS_SECRET',
    'ISSUER_ADMIN_TOKEN',
    'CHAIN_RPC_URL',
    'CHAIN_ID',
    'DID_REGISTRY',
    'TRUST_REGISTRY',
    'STATUS_REGISTRY',
    'AUDIT_ANCHOR_INTERVAL_MS',
    'AUDIT_ANCHOR_MAX_ENTRIES',
    'ANCHOR_INTERVAL_MS',
    'ANCHOR_MAX_BACKOFF_MS',
    'ISSUER_WORKERS',
    'WORKER_LEASE_MS',
    'WORKER_LEASE_RENEW_MS',
    'IDEMPOTENCY_TTL_MS',
    'CHAIN_TX_TIMEOUT_MS',
    'ISSUER_BODY_LIMIT',
    'BULK_RESULT_TTL_MS',
  ],
  additionalProperties: false,
};

/** Reads and validates the issuer's settings; throws naming every missing or malformed one. */
export function loadIssuerConfig(env: Record<string, string | undefined> = process.env): IssuerConfig {
  const config = loadConfig(ISSUER_CONFIG_SCHEMA, env);
  // A shorter lease would let a second replica anchor while the holder's last transaction may still be mined.
  if (config.WORKER_LEASE_MS <= config.CHAIN_TX_TIMEOUT_MS) {
    throw new Error('invalid configuration: WORKER_LEASE_MS must be longer than CHAIN_TX_TIMEOUT_MS');
  }
  if (config.WORKER_LEASE_RENEW_MS * 2 > config.WORKER_LEASE_MS) {
    throw new Error('invalid configuration: WORKER_LEASE_RENEW_MS must be at most half of WORKER_LEASE_MS');
  }
  return config;
}

/** Nest injection token of the {@link IssuerConfig}. */
export const ISSUER_CONFIG = Symbol('ISSUER_CONFIG');
