import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { loadIssuerConfig, type IssuerConfig } from '../../apps/issuer/src/config/issuer.config.js';
import { startIssuer, type RunningIssuer } from '../../apps/issuer/src/issuer-app.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';

/** Admin token of every test issuer. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A fresh temp folder for one test file's SQLite database(s). */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'govcred-issuer-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Environment of an issuer on `fixture`'s registries, with a funder and (by default) the governance key. */
export async function issuerEnv(fixture: Fixture, sqlitePath: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const funder = await fundedWallet(fixture.provider);
  return {
    ISSUER_PORT: '0',
    ISSUER_SQLITE_PATH: sqlitePath,
    ISSUER_KMS_SECRET: randomBytes(32).toString('hex'),
    ISSUER_ADMIN_TOKEN: ADMIN_TOKEN,
    CHAIN_RPC_URL: process.env.GOVCRED_TEST_RPC_URL!,
    CHAIN_ID: String(fixture.chainId),
    DID_REGISTRY: fixture.didRegistry,
    TRUST_REGISTRY: fixture.trustRegistry,
    STATUS_REGISTRY: fixture.statusRegistry,
    AUDIT_ANCHOR: fixture.auditAnchor,
    GOVERNANCE_PRIVATE_KEY: fixture.governance.privateKey,
    FUNDER_PRIVATE_KEY: funder.privateKey,
    ANCHOR_INTERVAL_MS: '100',
    ANCHOR_MAX_BACKOFF_MS: '1000',
    CHAIN_TX_TIMEOUT_MS: '10000',
    ...extra,
  };
}

/** A tiny JSON HTTP client. */
export class Client {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  withHeaders(headers: Record<string, string>): Client {
    return new Client(this.baseUrl, { ...this.headers, ...headers });
  }

  async request<T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(this.baseUrl + url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...this.headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }

  post<T = any>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body);
  }
}

/** An agency as the admin API returns it on creation. */
export interface CreatedAgency {
  id: string;
  did: string;
  apiKey: string;
  identityAddress: string;
  /** The identity's ERC-1056 owner (governance's key, held by the test, never by the issuer). */
  ownerAddress: string;
  keyAddress: string;
  /** DID URL of the signing key: every credential's `kid`. */
  signingKeyId: string;
  writerAddress: string;
  credentialTypes: string[];
  statusLists: { revocation: number; suspension: number };
  accreditation: { submitted: boolean; transactions: Array<{ to: string; data: string; hash?: string }> };
}

/** An in-process issuer on fresh registries and a fresh SQLite file. */
export interface IssuerHarness {
  fixture: Fixture;
  config: IssuerConfig;
  issuer: RunningIssuer;
  admin: Client;
  anonymous: Client;
  /** Creates an agency owned by a fresh governance key, returned as `owner` (it signs the agency's ERC-1056 calls). */
  createAgency(credentialTypes: string[], names?: { nameZh: string; nameEn: string }): Promise<CreatedAgency & { client: Client; owner: Wallet }>;
  close(): Promise<void>;
}

export async function startHarness(options: { fixture?: Fixture; sqlitePath?: string; env?: Record<string, string> } = {}): Promise<IssuerHarness> {
  const fixture = options.fixture ?? (await deployFixture());
  const temp = options.sqlitePath ? undefined : tempDir();
  const sqlitePath = options.sqlitePath ?? path.join(temp!.dir, 'issuer.sqlite');
  const config = loadIssuerConfig(await issuerEnv(fixture, sqlitePath, options.env));
  const issuer = await startIssuer(config); // ISSUER_PORT: 0 unless `env` names a port
  const anonymous = new Client(issuer.url);
  const admin = anonymous.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
  return {
    fixture,
    config,
    issuer,
    admin,
    anonymous,
    async createAgency(credentialTypes, names = { nameZh: '测试机构', nameEn: 'Test agency' }) {
      const owner = Wallet.createRandom();
      const res = await admin.post<CreatedAgency>('/admin/agencies', { ...names, credentialTypes, ownerAddress: owner.address });
      if (res.status !== 201) throw new Error(`agency creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { ...res.body, client: anonymous.withHeaders({ 'x-api-key': res.body.apiKey }), owner: new Wallet(owner.privateKey) };
    },
    async close() {
      await issuer.close();
      if (!options.fixture) fixture.provider.destroy();
      temp?.remove();
    },
  };
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
