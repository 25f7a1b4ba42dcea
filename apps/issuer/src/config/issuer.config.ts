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
  /** Most copies of an SD-JWT VC one OID4VCI credential request gets (`batch_credential_issuance.batch_size`); 1: no batches. */
  OID4VCI_BATCH_SIZE: number;
  /** How long one signing key signs before the next one takes over (days). */
  SIGNING_KEY_PERIOD_DAYS: number;
  /** How long a signing key stays listed after its period: the longest lifetime of what it signed (days). */
  SIGNING_KEY_HORIZON_DAYS: number;
  /** Validity of a status writer delegate (days); it is renewed before it ends. */
  STATUS_WRITER_VALIDITY_DAYS: number;
  /** Longest wait of a signature for its key's block time to pass on this machine's clock (chain clock ahead). */
  SIGNING_KEY_ACTIVATION_WAIT_MS: number;
  /** Granularity of the times credentials claim (seconds): a new key signs from its block time rounded up to it. */
  CREDENTIAL_TIME_ROUNDING_SECONDS: number;
  /** Blocks after a key's block before the issuer signs with it (0: a chain with instant finality, e.g. QBFT). */
  KEY_FINALITY_BLOCKS: number;
  /** A rotation also renews the status writer when its delegate ends within this many days. */
  STATUS_WRITER_RENEW_DAYS: number;
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
    GOVERNANCE_PRIVATE_KEY: { type: 'string', nullable: true, pattern: HEX_KEY, description: 'Devnet only: TrustRegistry governance key that accredits new agencies directly (unset: the unsigned transactions are returned). Never an agency owner key: the issuer holds none.' },
    FUNDER_PRIVATE_KEY: { type: 'string', nullable: true, pattern: HEX_KEY, description: 'Key that tops up agency accounts with gas; leave unset on gas-free chains.' },
    ANCHOR_INTERVAL_MS: { type: 'integer', minimum: 10, default: 2000, description: 'How often the anchoring worker sends pending status changes to the chain.' },
    ANCHOR_MAX_BACKOFF_MS: { type: 'integer', minimum: 10, default: 60000, description: 'Longest backoff of the anchoring worker while the chain is unreachable.' },
    ISSUER_WORKERS: { type: 'boolean', default: true, description: 'Whether this replica runs the background workers, so every replica may say true: anchoring runs under a lease in the database (one holder at a time); bulk jobs are worked by every replica at once, each on chunks of items it took.' },
    ISSUER_CLUSTER_WORKERS: {
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: 256,
      description:
        'Worker processes serving HTTP on the one port (node:cluster), each with its own chain clients; unset: one per available core ' +
        '(os.availableParallelism()); 1: one process, no cluster. Workers share the database as replicas do (the SQLite file too).',
    },
    WORKER_LEASE_MS: { type: 'integer', minimum: 100, default: 90_000, description: 'How long a worker lease, or a chunk of bulk items a process took, lasts without renewal; must exceed CHAIN_TX_TIMEOUT_MS. After a crash, another replica takes the work over once it expired.' },
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
    OID4VCI_BATCH_SIZE: {
      type: 'integer',
      minimum: 1,
      maximum: 50,
      default: 10,
      description:
        'OID4VCI batch issuance (`batch_credential_issuance.batch_size`): an SD-JWT VC request may carry this many key proofs and gets one ' +
        'unlinkable copy per key (own key, salts and status index; times rounded to the day), so a wallet shows each copy to one verifier. 1: no batches.',
    },
    SIGNING_KEY_PERIOD_DAYS: {
      type: 'integer',
      minimum: 1,
      maximum: 3660,
      default: 365,
      description: 'How long one credential signing key signs (days) before a rotation replaces it; its ERC-1056 attribute is valid for this period plus SIGNING_KEY_HORIZON_DAYS.',
    },
    SIGNING_KEY_HORIZON_DAYS: {
      type: 'integer',
      minimum: 0,
      maximum: 36_600,
      default: 36_500,
      description:
        'How long a signing key stays listed in the DID document after its period: the longest lifetime of what it signed. ' +
        'Types without expiry (diplomas, long-term ID cards) need decades; a plain verifier rejects credentials of a key no longer listed.',
    },
    STATUS_WRITER_VALIDITY_DAYS: {
      type: 'integer',
      minimum: 1,
      maximum: 3660,
      default: 90,
      description: 'Validity of the govcred/statusWriter ERC-1056 delegate that sends status writes (days); renewed before it ends.',
    },
    CREDENTIAL_TIME_ROUNDING_SECONDS: {
      type: 'integer',
      minimum: 1,
      maximum: 86_400,
      default: 1,
      description:
        'Granularity of the times credentials claim (1: whole seconds, as JWT VC and SD-JWT VC today; 86400 when credentials carry ' +
        'day-rounded times): a new signing key signs only from its block time rounded up to it, so no credential time predates its key.',
    },
    KEY_FINALITY_BLOCKS: {
      type: 'integer',
      minimum: 0,
      maximum: 10_000,
      default: 0,
      description: "Blocks mined on top of a new key's block before the issuer signs with it (0 for chains with instant finality such as QBFT/IBFT; e.g. 64 on a proof-of-stake L1).",
    },
    STATUS_WRITER_RENEW_DAYS: {
      type: 'integer',
      minimum: 0,
      maximum: 3660,
      default: 30,
      description: 'A signing key rotation also renews the status writer delegate (a new key, in the same owner-signed batch) when it ends within this many days.',
    },
    SIGNING_KEY_ACTIVATION_WAIT_MS: {
      type: 'integer',
      minimum: 0,
      default: 60_000,
      description:
        "A credential is dated by this machine's clock and must not predate its key's block: while the chain's clock is ahead, " +
        'a signature waits at most this long for the key, then the request fails with 503 signing_key_not_active (retry later).',
    },
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
    'OID4VCI_BATCH_SIZE',
    'SIGNING_KEY_PERIOD_DAYS',
    'SIGNING_KEY_HORIZON_DAYS',
    'STATUS_WRITER_VALIDITY_DAYS',
    'SIGNING_KEY_ACTIVATION_WAIT_MS',
    'CREDENTIAL_TIME_ROUNDING_SECONDS',
    'KEY_FINALITY_BLOCKS',
    'STATUS_WRITER_RENEW_DAYS',
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
