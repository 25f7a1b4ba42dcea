/** Starts a real verifier over HTTP for a test file: its own fixture, its own SQLite file, port 0. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadVerifierConfig, type VerifierConfig } from '../../apps/verifier/src/config/verifier.config.js';
import { startVerifier, type RunningVerifier, type VerifierOverrides } from '../../apps/verifier/src/start-verifier.js';
import type { Fixture } from './chain.js';

/** Admin token of every test verifier. */
export const VERIFIER_ADMIN_TOKEN = 'test-verifier-admin-token-0123';

/** The environment of a test verifier on the SQLite file `sqlitePath`, against the fixture's chain and registries. */
export function verifierEnvFor(fixture: Fixture, sqlitePath: string): Record<string, string> {
  return {
    VERIFIER_SQLITE_PATH: sqlitePath,
    CHAIN_RPC_URL: process.env.GOVCRED_TEST_RPC_URL!,
    CHAIN_ID: String(fixture.chainId),
    DID_REGISTRY: fixture.didRegistry,
    TRUST_REGISTRY: fixture.trustRegistry,
    STATUS_REGISTRY: fixture.statusRegistry,
    VERIFIER_REGISTRY: fixture.verifierRegistry,
    DEPLOY_BLOCK: String(fixture.deployBlock),
    CHAIN_POLL_INTERVAL_MS: '100',
    VERIFIER_DOMAIN: 'bank.example',
    VERIFIER_ADMIN_TOKEN,
  };
}

/** The verifier's settings for a fixture, built through the same validation as main.ts. */
export function verifierConfigFor(fixture: Fixture, env: Record<string, string> = {}): VerifierConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'govcred-verifier-'));
  return loadVerifierConfig({ VERIFIER_PORT: '0', ...verifierEnvFor(fixture, path.join(dir, 'verifier.sqlite')), ...env });
}

export async function startTestVerifier(fixture: Fixture, env: Record<string, string> = {}, overrides: VerifierOverrides = {}): Promise<RunningVerifier> {
  return startVerifier(verifierConfigFor(fixture, env), { logger: ['error', 'warn'], ...overrides });
}

/** An HTTP answer: status and parsed JSON body. */
export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** POSTs JSON (or a raw string, sent as is) and parses the answer. */
export async function post<T = Record<string, unknown>>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function get<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as T };
}

/** The header a verifier account sends. */
export const withKey = (apiKey: string) => ({ 'x-api-key': apiKey });

/** Creates a verifier account through the admin API; returns its id and API key. */
export async function createVerifierAccount(verifierUrl: string, name: unknown = { 'zh-CN': '测试银行', en: 'Test Bank' }): Promise<{ id: string; apiKey: string }> {
  const reply = await post<{ id: string; apiKey: string }>(`${verifierUrl}/admin/verifiers`, { name }, { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` });
  if (reply.status !== 201) throw new Error(`verifier account failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Waits until the chain mirrors (status, trust, DID, verifier registrations) of the verifier have synced `block` (they follow the chain on their own). */
export async function waitForMirrors(verifier: Pick<RunningVerifier, 'url'>, block: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await get<Record<'statusMirror' | 'trustMirror' | 'didMirror' | 'verifierMirror', { syncedBlock: number }>>(`${verifier.url}/health`);
    if (Object.values(body).every((mirror) => typeof mirror !== 'object' || mirror.syncedBlock >= block)) return;
    if (Date.now() > deadline) throw new Error(`mirrors did not reach block ${block}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * How far the test chain's clock runs ahead of this machine's, in ms (other test files may move it forward
 * with evm_setNextBlockTimestamp). A verifier whose clock is shifted by it judges validity periods in chain time.
 */
export async function chainClockOffsetMs(provider: { getBlock(tag: 'latest'): Promise<{ timestamp: number } | null> }): Promise<number> {
  const block = await provider.getBlock('latest');
  return Math.max(0, block!.timestamp * 1000 - Date.now());
}

/** What a test asks a presentation to hold: `options.query` of `POST /presentations/verify`. */
export type TestQuery = { credentials: Array<{ type: string; claims?: Array<string | Array<string | number | null>>; issuers?: string[] }> };

/**
 * Takes a challenge from `POST /challenges` for the verifier account of `apiKey`; `credentials` (when given) is
 * returned as `query`, for the test to send as `options.query` with the presentation.
 */
export async function createChallenge(
  verifierUrl: string,
  apiKey: string,
  credentials?: TestQuery['credentials'],
): Promise<{ challenge: string; domain: string; expiresAt: string; query?: TestQuery }> {
  const reply = await post<{ challenge: string; domain: string; expiresAt: string }>(`${verifierUrl}/challenges`, {}, withKey(apiKey));
  if (reply.status !== 201) throw new Error(`challenge failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { ...reply.body, ...(credentials ? { query: { credentials } } : {}) };
}

/** The body of a verification answer. */
export interface ResultBody {
  verified: boolean;
  checks: Array<{ check: string; status: string; path?: string }>;
  problems: Array<{ code: string; message: string; path: string }>;
  credentials: Array<{ type: string; claims: Record<string, unknown> }>;
}
