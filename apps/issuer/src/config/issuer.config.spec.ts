import { loadIssuerConfig } from './issuer.config.js';

const BASE = {
  ISSUER_KMS_SECRET: 'ab'.repeat(32),
  ISSUER_ADMIN_TOKEN: 'an-admin-token-long-enough',
  CHAIN_RPC_URL: 'http://127.0.0.1:8545',
  CHAIN_ID: '31337',
  DID_REGISTRY: '0x' + '11'.repeat(20),
  TRUST_REGISTRY: '0x' + '22'.repeat(20),
  STATUS_REGISTRY: '0x' + '33'.repeat(20),
};

test('defaults are filled in and numbers converted', () => {
  const config = loadIssuerConfig(BASE);
  expect(config).toMatchObject({ ISSUER_PORT: 3100, CHAIN_ID: 31337, ANCHOR_INTERVAL_MS: 2000, ISSUER_WORKERS: true, WORKER_LEASE_MS: 90_000, IDEMPOTENCY_TTL_MS: 86_400_000 });
  expect(config.GOVERNANCE_PRIVATE_KEY).toBeUndefined();
});

test.each([
  ['no KMS secret (there is no default)', { ISSUER_KMS_SECRET: undefined }, 'ISSUER_KMS_SECRET'],
  ['a short KMS secret', { ISSUER_KMS_SECRET: 'abcd' }, 'ISSUER_KMS_SECRET'],
  ['no admin token', { ISSUER_ADMIN_TOKEN: undefined }, 'ISSUER_ADMIN_TOKEN'],
  ['a bad registry address', { STATUS_REGISTRY: '0x12' }, 'STATUS_REGISTRY'],
  ['a non-postgres DATABASE_URL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
  ['a worker lease shorter than a chain transaction', { WORKER_LEASE_MS: '5000', CHAIN_TX_TIMEOUT_MS: '10000' }, 'WORKER_LEASE_MS'],
  ['a lease renewed less than twice per lease', { WORKER_LEASE_MS: '90000', WORKER_LEASE_RENEW_MS: '60000' }, 'WORKER_LEASE_RENEW_MS'],
])('boot stops on %s', (_name, change, setting) => {
  expect(() => loadIssuerConfig({ ...BASE, ...change })).toThrow(setting);
});
