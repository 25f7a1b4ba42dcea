import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDevnet, type Devnet, type DevnetOptions } from './devnet.js';
import { writeManifest, type ManifestAgency, type ManifestVerifier } from './manifest.js';
import { startService, type ServiceProcess } from './service.js';

/** Settings of the whole local system. */
export interface SystemOptions extends DevnetOptions {
  issuerPort: number;
  verifierPort: number;
}

type ServiceName = 'issuer' | 'verifier';

/** The running local system. */
export interface LocalSystem {
  devnet: Devnet;
  services: Map<ServiceName, ServiceProcess>;
  /** Stops one service (the rest keeps running). */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped service again, on the same port and database. */
  startService(name: ServiceName): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** The three demo agencies of `npm start`. */
export const DEMO_AGENCIES = [
  { nameZh: '南京市公安局', nameEn: 'Nanjing Public Security Bureau', credentialTypes: ['NationalIdCredential'] },
  { nameZh: '南京大学', nameEn: 'Nanjing University', credentialTypes: ['EducationCredential'] },
  { nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registration Center', credentialTypes: ['PropertyCredential'] },
];

/** The demo verifier account of `npm start`: the employer of the demo story. */
export const DEMO_VERIFIER = { name: { 'zh-CN': '示例用人单位', en: 'Example Employer' } };

interface DevnetSecrets {
  kmsSecret: string;
  adminToken: string;
  verifierAdminToken: string;
}

/**
 * Devnet secrets, made once per home folder and kept there (mode 0600), never in the manifest or a log. A home
 * from before a secret existed gets it added.
 */
function devnetSecrets(home: string): DevnetSecrets {
  const file = path.join(home, 'secrets.json');
  const existing: Partial<DevnetSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: DevnetSecrets = {
    kmsSecret: existing.kmsSecret ?? randomBytes(32).toString('hex'),
    adminToken: existing.adminToken ?? randomBytes(24).toString('base64url'),
    verifierAdminToken: existing.verifierAdminToken ?? randomBytes(24).toString('base64url'),
  };
  if (Object.keys(existing).length !== Object.keys(secrets).length) writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

/** Chain settings every service reads from its environment. */
function chainEnv(devnet: Devnet): Record<string, string> {
  const { chain, contracts } = devnet.manifest;
  return {
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    DID_REGISTRY: contracts.didRegistry,
    TRUST_REGISTRY: contracts.trustRegistry,
    STATUS_REGISTRY: contracts.statusRegistry,
    DEPLOY_BLOCK: String(contracts.deployBlock),
  };
}

/** The issuer's chain settings: the verifier's, plus the audit anchor (the issuer alone writes it). */
function issuerChainEnv(devnet: Devnet): Record<string, string> {
  const { auditAnchor } = devnet.manifest.contracts;
  return { ...chainEnv(devnet), ...(auditAnchor ? { AUDIT_ANCHOR: auditAnchor } : {}) };
}

async function createDemoAgencies(issuerUrl: string, adminToken: string): Promise<ManifestAgency[]> {
  const agencies: ManifestAgency[] = [];
  for (const agency of DEMO_AGENCIES) {
    const response = await fetch(`${issuerUrl}/admin/agencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(agency),
    });
    const body = (await response.json()) as { id: string; did: string; apiKey: string; credentialTypes: string[] };
    if (response.status !== 201) throw new Error(`creating ${agency.nameEn} failed: ${response.status} ${JSON.stringify(body)}`);
    agencies.push({ id: body.id, name: `${agency.nameZh} (${agency.nameEn})`, did: body.did, apiKey: body.apiKey, credentialTypes: body.credentialTypes });
  }
  return agencies;
}

async function createDemoVerifier(verifierUrl: string, adminToken: string): Promise<ManifestVerifier> {
  const response = await fetch(`${verifierUrl}/admin/verifiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(DEMO_VERIFIER),
  });
  const body = (await response.json()) as { id: string; apiKey: string };
  if (response.status !== 201) throw new Error(`creating the demo verifier failed: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.id, name: `${DEMO_VERIFIER.name['zh-CN']} (${DEMO_VERIFIER.name.en})`, apiKey: body.apiKey };
}

/**
 * `npm start`: chain and registries (startDevnet), then the verifier and the issuer as child processes, each with
 * its SQLite file and log under `home`; the three demo agencies are created once (accredited on chain by the
 * devnet governance key), and the demo verifier account once; the manifest records URLs, agencies and verifiers.
 */
export async function startSystem(options: SystemOptions): Promise<LocalSystem> {
  const { log, home } = options;
  const devnet = await startDevnet(options);
  const { manifest } = devnet;
  const host = options.chainHost;
  const secrets = devnetSecrets(home);
  if (devnet.freshDeployment) {
    // The services' databases describe another deployment (a restarted chain): start them afresh.
    for (const db of ['issuer.sqlite', 'verifier.sqlite']) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(home, db + suffix), { force: true });
    }
    manifest.agencies = [];
    manifest.verifiers = [];
  }
  const definitions: Record<ServiceName, Parameters<typeof startService>[0]> = {
    verifier: {
      name: 'verifier',
      entry: 'dist/apps/verifier/src/main.js',
      url: `http://${host}:${options.verifierPort}`,
      logFile: path.join(home, 'verifier.log'),
      env: {
        ...chainEnv(devnet),
        VERIFIER_HOST: host,
        VERIFIER_PORT: String(options.verifierPort),
        VERIFIER_SQLITE_PATH: path.join(home, 'verifier.sqlite'),
        VERIFIER_ADMIN_TOKEN: secrets.verifierAdminToken,
      },
    },
    issuer: {
      name: 'issuer',
      entry: 'dist/apps/issuer/src/main.js',
      url: `http://${host}:${options.issuerPort}`,
      logFile: path.join(home, 'issuer.log'),
      env: {
        ...issuerChainEnv(devnet),
        ISSUER_HOST: host,
        ISSUER_PORT: String(options.issuerPort),
        ISSUER_SQLITE_PATH: path.join(home, 'issuer.sqlite'),
        ISSUER_KMS_SECRET: secrets.kmsSecret,
        ISSUER_ADMIN_TOKEN: secrets.adminToken,
        GOVERNANCE_PRIVATE_KEY: devnet.governance.privateKey,
        FUNDER_PRIVATE_KEY: devnet.funder.privateKey,
        ANCHOR_INTERVAL_MS: '500',
      },
    },
  };
  const services = new Map<ServiceName, ServiceProcess>();
  const system: LocalSystem = {
    devnet,
    services,
    async startService(name) {
      log(`${name}: starting on ${definitions[name].url} …`);
      const service = await startService(definitions[name]);
      services.set(name, service);
      return service;
    },
    async stopService(name) {
      await services.get(name)?.stop();
      services.delete(name);
    },
    async stop() {
      for (const name of [...services.keys()].reverse()) await system.stopService(name);
      await devnet.stop();
    },
  };
  try {
    manifest.services.verifier = (await system.startService('verifier')).url;
    manifest.services.issuer = (await system.startService('issuer')).url;
    if (manifest.agencies.length === 0) {
      log('agencies: creating the demo agencies (keys, DIDs, status lists and accreditation on chain) …');
      manifest.agencies = await createDemoAgencies(manifest.services.issuer, secrets.adminToken);
    }
    for (const agency of manifest.agencies) log(`  ${agency.name}: ${agency.did} → ${agency.credentialTypes.join(', ')}`);
    if (manifest.verifiers.length === 0) {
      log('verifiers: creating the demo verifier account …');
      manifest.verifiers = [await createDemoVerifier(manifest.services.verifier, secrets.verifierAdminToken)];
    }
    for (const verifier of manifest.verifiers) log(`  ${verifier.name}: verifier account ${verifier.id}`);
    writeManifest(devnet.manifestFile, manifest);
    return system;
  } catch (error) {
    await system.stop();
    throw error;
  }
}
