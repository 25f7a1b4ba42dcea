import { VERIFIER_CONFIG_SCHEMA, loadVerifierConfig } from './verifier.config.js';

const BASE = {
  VERIFIER_ADMIN_TOKEN: 'a-verifier-admin-token',
  CHAIN_RPC_URL: 'http://127.0.0.1:8545',
  CHAIN_ID: '31337',
  DID_REGISTRY: '0x' + '11'.repeat(20),
  TRUST_REGISTRY: '0x' + '22'.repeat(20),
  STATUS_REGISTRY: '0x' + '33'.repeat(20),
  VERIFIER_REGISTRY: '0x' + '44'.repeat(20),
};

test('results are kept one day by default, purged every minute', () => {
  expect(loadVerifierConfig(BASE)).toMatchObject({ VERIFIER_RESULT_RETENTION_SECONDS: 86400, VERIFIER_PURGE_INTERVAL_MS: 60000, VERIFIER_PORT: 3002 });
});

test.each([
  ['no admin token (there is no default)', { VERIFIER_ADMIN_TOKEN: undefined }, 'VERIFIER_ADMIN_TOKEN'],
  ['no VerifierRegistry address (accounts with a DID could not be checked)', { VERIFIER_REGISTRY: undefined }, 'VERIFIER_REGISTRY'],
  ['a short admin token', { VERIFIER_ADMIN_TOKEN: 'short' }, 'VERIFIER_ADMIN_TOKEN'],
  ['a retention that is no number', { VERIFIER_RESULT_RETENTION_SECONDS: 'forever' }, 'VERIFIER_RESULT_RETENTION_SECONDS'],
  ['a retention under a minute', { VERIFIER_RESULT_RETENTION_SECONDS: '5' }, 'VERIFIER_RESULT_RETENTION_SECONDS'],
])('boot stops on %s', (_name, change, setting) => {
  expect(() => loadVerifierConfig({ ...BASE, ...change })).toThrow(setting);
});

test('every setting says what it is for', () => {
  for (const [name, setting] of Object.entries(VERIFIER_CONFIG_SCHEMA.properties)) expect([name, typeof (setting as { description?: string }).description]).toEqual([name, 'string']);
});
