import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '../../../common/src/config/load-config.js';
import { STAFF_CONFIG_PROPERTIES, STAFF_CONFIG_REQUIRED, type StaffConfig } from '../staff/staff.config.js';

/** Every setting of the issuer service, validated at boot (see {@link loadIssuerConfig}). */
export interface IssuerConfig extends StaffConfig {
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
  /** Processes serving HTTP on the one port (node:cluster); unset: one per available core. */
  ISSUER_CLUSTER_WORKERS?: number;
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
  /** Largest body of bulk issuance, the one route with large bodies (read only after the API key was accepted). */
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
    ISSUER_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3100, description: 'HTTP port (0: any free port).' },
    ISSUER_HOST: { type: 'string', default: '127.0.0.1', description: 'Interface to listen on.' },
    ISSUER_PUBLIC_URL: {
      type: 'string',
      nullable: true,
      pattern: '^https?://[^/]+(/.*)?$',
      description:
        'Base URL wallets reach the issuer at: each agency is the OID4VCI Credential Issuer `<this URL>/oid4vci/<agency id>`. ' +
        'http://ISSUER_HOST:ISSUER_PORT when unset. Must be the same on every replica (offers made at one are unknown at another ' +
        'otherwise): with DATABASE_URL, the first replica records it and a replica with another value refuses to start.',
    },
    DATABASE_URL: {
      type: 'string',
      nullable: true,
      pattern: '^postgres(ql)?://',
      description: 'PostgreSQL URL (postgres://…) shared by every replica; the SQLite file is used when unset.',
    },
    ISSUER_SQLITE_PATH: { type: 'string', default: '.govcred/issuer.sqlite', description: 'SQLite file (created 0600) when DATABASE_URL is unset.' },
    ISSUER_KMS_SECRET: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: '32-byte hex secret that encrypts agency keys at rest (`openssl rand -hex 32`); the same on every replica.' },
    ISSUER_ADMIN_TOKEN: { type: 'string', minLength: 16, description: 'Token of the admin API (`Authorization: Bearer …`), at least 16 characters.' },
    CHAIN_RPC_URL: { type: 'string', pattern: '^(https?|wss?)://', description: 'JSON-RPC endpoint of the chain.' },
    CHAIN_ID: { type: 'integer', minimum: 1, description: 'EIP-155 chain id (the DIDs name it); the same on every replica.' },
    DID_REGISTRY: { type: 'string', pattern: HEX_ADDRESS, description: 'ERC-1056 EthereumDIDRegistry address; the same on every replica.' },
    TRUST_REGISTRY: { type: 'string', pattern: HEX_ADDRESS, description: 'TrustRegistry address; the same on every replica.' },
    STATUS_REGISTRY: { type: 'string', pattern: HEX_ADDRESS, description: 'StatusRegistry address; the same on every replica.' },
    AUDIT_ANCHOR: { type: 'string', nullable: true, pattern: HEX_ADDRESS, description: 'AuditAnchor contract address; the audit log is anchored on chain through it (unset: not anchored, receipts answer 409).' },
    AUDIT_ANCHOR_INTERVAL_MS: { type: 'integer', minimum: 10, default: 60_000, description: 'Longest time an audit entry waits for its anchor on chain.' },
    AUDIT_ANCHOR_MAX_ENTRIES: { type: 'integer', minimum: 1, maximum: 100_000, default: 1000, description: 'Audit entries per anchor: an anchor is sent at once when this many are waiting.' },
    GOVERNANCE_PRIVATE_KEY: { type: 'string', nullable: true, pattern: HEX_KEY, description: 'Devnet only: governance key that accredits new agencies directly (unset: the unsigned transactions are returned).' },
    FUNDER_PRIVATE_KEY: { type: 'string', nullable: true, pattern: HEX_KEY, description: 'Key that tops up agency accounts with gas; leave unset on gas-free chains.' },
    ANCHOR_INTERVAL_MS: { type: 'integer', minimum: 10, default: 2000, description: 'How often the anchoring worker sends pending status changes to the chain.' },
    ANCHOR_MAX_BACKOFF_MS: { type: 'integer', minimum: 10, default: 60000, description: 'Longest backoff of the anchoring worker while the chain is unreachable.' },
    ISSUER_WORKERS: { type: 'boolean', default: true, description: 'Whether this replica may run the anchoring and bulk workers (each runs under a lease in the database: one holder at a time, so every replica may say true).' },
    ISSUER_CLUSTER_WORKERS: {
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: 256,
      description:
        'Worker processes serving HTTP on the one port (node:cluster), each with its own chain clients; unset: one per available core ' +
        '(os.availableParallelism()); 1: one process, no cluster. Workers share the database as replicas do (the SQLite file too).',
    },
    WORKER_LEASE_MS: { type: 'integer', minimum: 100, default: 90_000, description: 'How long a worker lease lasts without renewal; must exceed CHAIN_TX_TIMEOUT_MS. After a crash, another replica takes the work over once it expired.' },
    WORKER_LEASE_RENEW_MS: { type: 'integer', minimum: 10, default: 5000, description: 'How often a lease holder renews its lease and other replicas try to take an expired one; at most half of WORKER_LEASE_MS.' },
    IDEMPOTENCY_TTL_MS: { type: 'integer', minimum: 0, default: 86_400_000, description: 'How long the answer stored per Idempotency-Key (it holds the signed credential) is kept for retries.' },
    CHAIN_TX_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 60000, description: 'Give up waiting for one chain transaction after this long (it is retried).' },
    ISSUER_BODY_LIMIT: {
      type: 'string',
      pattern: '^[0-9]+(b|kb|mb)$',
      default: '16mb',
      description: 'Largest body of bulk issuance, read only after the API key was accepted; every other route has a small limit of its own.',
    },
    BULK_RESULT_TTL_MS: { type: 'integer', minimum: 0, default: 86_400_000, description: 'Signed bulk results are deleted this long after the job finished.' },
    ...STAFF_CONFIG_PROPERTIES,
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
    ...STAFF_CONFIG_REQUIRED,
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
