/** Starts a real verifier over HTTP for a test file: its own fixture, its own SQLite file, port 0. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadVerifierConfig, type VerifierConfig } from '../../apps/verifier/src/config/verifier.config.js';
import { startVerifier, type RunningVerifier, type VerifierOverrides } from '../../apps/verifier/src/start-verifier.js';
import type { Fixture } from './chain.js';

/** The verifier's settings for a fixture, built through the same validation as main.ts. */
export function verifierConfigFor(fixture: Fixture, env: Record<string, string> = {}): VerifierConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'govcred-verifier-'));
  return loadVerifierConfig({
    VERIFIER_PORT: '0',
    VERIFIER_SQLITE_PATH: path.join(dir, 'verifier.sqlite'),
    CHAIN_RPC_URL: process.env.GOVCRED_TEST_RPC_URL,
    CHAIN_ID: String(fixture.chainId),
    DID_REGISTRY: fixture.didRegistry,
    TRUST_REGISTRY: fixture.trustRegistry,
    STATUS_REGISTRY: fixture.statusRegistry,
    DEPLOY_BLOCK: String(fixture.deployBlock),
    CHAIN_POLL_INTERVAL_MS: '100',
    VERIFIER_DOMAIN: 'bank.example',
    ...env,
  });
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
export async function post<T = Record<string, unknown>>(url: string, body: unknown): Promise<Reply<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function get<T = Record<string, unknown>>(url: string): Promise<Reply<T>> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** Waits until both chain mirrors of the verifier have synced `block` (they follow the chain on their own). */
export async function waitForMirrors(verifier: RunningVerifier, block: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await get<{ statusMirror: { syncedBlock: number }; trustMirror: { syncedBlock: number } }>(`${verifier.url}/health`);
    if (body.statusMirror.syncedBlock >= block && body.trustMirror.syncedBlock >= block) return;
    if (Date.now() > deadline) throw new Error(`mirrors did not reach block ${block}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
