import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { createDemoClerk, createDemoVerifier, registerDemoVerifier } from './demo-verifier.js';
import { startDevnet, type Devnet, type DevnetOptions } from './devnet.js';
import { readManifest, writeManifest, type ManifestAgency, type ManifestStaff } from './manifest.js';
import { newClusterPassword, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { freePort } from './processes.js';
import { startService, type ServiceProcess } from './service.js';

/**
 * Where the services keep their data: `embedded` (one issuer and one verifier, each on its SQLite file) or
 * `postgres` (a local PostgreSQL cluster under the home folder, two replicas of each service).
 */
export type SystemProfile = 'embedded' | 'postgres';

/** Settings of the whole local system. */
export interface SystemOptions extends DevnetOptions {
  /** Port of the (first) issuer; further replicas take free ports. */
  issuerPort: number;
  /** Port of the (first) verifier; further replicas take free ports. */
  verifierPort: number;
  /** @default 'embedded' */
  profile?: SystemProfile;
  /** Port of the PostgreSQL cluster (postgres profile). @default a free port */
  postgresPort?: number;
}

/** `issuer`, `verifier` (the first replicas), `issuer-2`, `verifier-2`, … */
type ServiceName = string;

/** The running local system. */
export interface LocalSystem {
  devnet: Devnet;
  /** Every service replica by name; `issuer` and `verifier` are the first. */
  services: Map<ServiceName, ServiceProcess>;
  /** The PostgreSQL cluster of the postgres profile. */
  postgres?: PostgresCluster;
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

/** Username prefix of each demo agency's staff (`psb.clerk`, `nju.officer`, …), by its first credential type. */
const STAFF_PREFIX: Record<string, string> = { NationalIdCredential: 'psb', EducationCredential: 'nju', PropertyCredential: 'estate' };

/**
 * One clerk, one officer and one auditor per demo agency, each with a random password kept in the manifest (a
 * devnet: the manifest is owner-only, and nothing real is behind these accounts).
 */
async function createDemoStaff(issuerUrl: string, adminToken: string, agency: ManifestAgency): Promise<ManifestStaff[]> {
  const prefix = STAFF_PREFIX[agency.credentialTypes[0]] ?? agency.id.slice(0, 8);
  const staff: ManifestStaff[] = [];
  for (const role of ['clerk', 'officer', 'auditor'] as const) {
    const account = { username: `${prefix}.${role}`, role, password: randomBytes(12).toString('base64url') };
    const response = await fetch(`${issuerUrl}/admin/agencies/${agency.id}/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ ...account, displayName: `${prefix} ${role}` }),
    });
    if (response.status !== 201) throw new Error(`creating staff ${account.username} failed: ${response.status} ${await response.text()}`);
    staff.push(account);
  }
  return staff;
}

interface DevnetSecrets {
  kmsSecret: string;
  adminToken: string;
  verifierAdminToken: string;
  /** Password of the local PostgreSQL cluster's superuser (postgres profile). */
  postgresPassword?: string;
  /** Private key of the demo verifier's did:ethr (registered on the VerifierRegistry). */
  demoVerifierKey: string;
  /** VERIFIER_KEY_SECRET: seals verifier accounts' signing keys at rest. */
  verifierKeySecret: string;
  /**
   * Governance's owner key of each demo agency's did:ethr, by the agency's English name: the devnet plays
   * governance and signs the agency's ERC-1056 calls (key rotation, revocation) itself. The issuer never holds them.
   */
  agencyOwnerKeys?: Record<string, string>;
}

/**
 * Devnet secrets, made once per home folder and kept there (mode 0600), never in the manifest or a log. A home
 * from before a secret existed gets it added.
 */
function devnetSecrets(home: string, needPostgres: boolean): DevnetSecrets {
  const file = path.join(home, 'secrets.json');
  const existing: Partial<DevnetSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: DevnetSecrets = {
    ...existing,
    kmsSecret: existing.kmsSecret ?? randomBytes(32).toString('hex'),
    adminToken: existing.adminToken ?? randomBytes(24).toString('base64url'),
    verifierAdminToken: existing.verifierAdminToken ?? randomBytes(24).toString('base64url'),
    demoVerifierKey: existing.demoVerifierKey ?? Wallet.createRandom().privateKey,
    verifierKeySecret: existing.verifierKeySecret ?? randomBytes(32).toString('hex'),
  };
  if (needPostgres) secrets.postgresPassword ??= newClusterPassword();
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
    VERIFIER_REGISTRY: contracts.verifierRegistry,
    DEPLOY_BLOCK: String(contracts.deployBlock),
  };
}

/** The issuer's chain settings: the verifier's, plus the audit anchor (the issuer alone writes it). */
function issuerChainEnv(devnet: Devnet): Record<string, string> {
  return { ...chainEnv(devnet), AUDIT_ANCHOR: devnet.manifest.contracts.auditAnchor };
}

async function createDemoAgencies(issuerUrl: string, adminToken: string, home: string, secrets: DevnetSecrets): Promise<ManifestAgency[]> {
  const agencies: ManifestAgency[] = [];
  for (const agency of DEMO_AGENCIES) {
    // One owner key per agency, kept in secrets.json before the agency exists (a crash must not lose it).
    const owners = (secrets.agencyOwnerKeys ??= {});
    owners[agency.nameEn] ??= Wallet.createRandom().privateKey;
    writeFileSync(path.join(home, 'secrets.json'), JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    const response = await fetch(`${issuerUrl}/admin/agencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ ...agency, ownerAddress: new Wallet(owners[agency.nameEn]).address }),
    });
    const body = (await response.json()) as { id: string; did: string; apiKey: string; credentialTypes: string[] };
    if (response.status !== 201) throw new Error(`creating ${agency.nameEn} failed: ${response.status} ${JSON.stringify(body)}`);
    agencies.push({ id: body.id, name: `${agency.nameZh} (${agency.nameEn})`, did: body.did, apiKey: body.apiKey, credentialTypes: body.credentialTypes });
  }
  return agencies;
}

/** Ports of `count` replicas: the configured one first, free ones after it. */
async function replicaPorts(first: number, count: number): Promise<number[]> {
  const ports = [first];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}

const replicaName = (service: 'issuer' | 'verifier', i: number) => (i === 0 ? service : `${service}-${i + 1}`);
const isReplicaOf = (service: 'issuer' | 'verifier', name: string) => name === service || name.startsWith(`${service}-`);

/**
 * `npm start`: chain and registries (startDevnet), then the verifiers and the issuers as child processes with their
 * logs under `home`: on their SQLite files (embedded profile) or on a local PostgreSQL cluster with two replicas
 * each (postgres profile; one replica of each service runs the migrations before the others start). The three
 * demo agencies are created once (accredited on chain by the devnet governance key), and the demo verifier once (its
 * DID registered on the VerifierRegistry, its account tied to that DID); the manifest records URLs, agencies and
 * verifiers.
 */
export async function startSystem(options: SystemOptions): Promise<LocalSystem> {
  const { log, home } = options;
  const profile = options.profile ?? 'embedded';
  const previousProfile = readManifest(path.join(home, 'devnet.json'))?.profile ?? 'embedded';
  const devnet = await startDevnet(options);
  const { manifest } = devnet;
  const host = options.chainHost;
  const secrets = devnetSecrets(home, profile === 'postgres');
  // Databases of another deployment (a restarted chain) or of the other profile do not hold the manifest's agencies.
  const freshData = devnet.freshDeployment || previousProfile !== profile;
  if (freshData) {
    for (const db of ['issuer.sqlite', 'verifier.sqlite']) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(home, db + suffix), { force: true });
    }
    manifest.agencies = [];
    manifest.verifiers = [];
  }
  manifest.profile = profile;

  const services = new Map<ServiceName, ServiceProcess>();
  const definitions = new Map<ServiceName, Parameters<typeof startService>[0]>();
  let postgres: PostgresCluster | undefined;
  const system: LocalSystem = {
    devnet,
    services,
    get postgres() {
      return postgres;
    },
    async startService(name) {
      const definition = definitions.get(name);
      if (!definition) throw new Error(`no service ${name}`);
      log(`${name}: starting on ${definition.url} …`);
      const service = await startService(definition);
      services.set(name, service);
      return service;
    },
    async stopService(name) {
      await services.get(name)?.stop();
      services.delete(name);
    },
    async stop() {
      for (const name of [...services.keys()].reverse()) await system.stopService(name);
      await postgres?.stop();
      await devnet.stop();
    },
  };
  try {
    const demoVerifierDid = await registerDemoVerifier(devnet, secrets.demoVerifierKey, log);
    const replicas = profile === 'postgres' ? 2 : 1;
    const database: { issuer: Record<string, string>; verifier: Record<string, string> } = {
      issuer: { ISSUER_SQLITE_PATH: path.join(home, 'issuer.sqlite') },
      verifier: { VERIFIER_SQLITE_PATH: path.join(home, 'verifier.sqlite') },
    };
    if (profile === 'postgres') {
      log('postgres: starting the local cluster …');
      postgres = await startPostgresCluster({ dir: path.join(home, 'postgres'), password: secrets.postgresPassword!, port: options.postgresPort });
      for (const name of ['govcred_issuer', 'govcred_verifier']) await postgres.createDatabase(name, { replace: freshData });
      log(`postgres: 127.0.0.1:${postgres.port}, data in ${postgres.dataDir} (databases govcred_issuer, govcred_verifier)`);
      database.issuer = { DATABASE_URL: postgres.url('govcred_issuer') };
      database.verifier = { DATABASE_URL: postgres.url('govcred_verifier') };
    }

    // Replicas on one machine share its cores: each runs its share of cluster workers (the embedded profile's one
    // process per service keeps the default, one worker per core).
    const workers = replicas > 1 ? String(Math.max(1, Math.floor(availableParallelism() / replicas))) : undefined;
    const verifierPorts = await replicaPorts(options.verifierPort, replicas);
    const issuerPorts = await replicaPorts(options.issuerPort, replicas);
    // Every issuer replica names itself by the first one's URL: offers made at one are redeemed at any other.
    const issuerPublicUrl = `http://${host}:${issuerPorts[0]}`;
    verifierPorts.forEach((port, i) => {
      const name = replicaName('verifier', i);
      definitions.set(name, {
        name,
        entry: 'dist/apps/verifier/src/main.js',
        url: `http://${host}:${port}`,
        logFile: path.join(home, `${name}.log`),
        env: {
          ...chainEnv(devnet),
          ...database.verifier,
          VERIFIER_HOST: host,
          VERIFIER_PORT: String(port),
          VERIFIER_ADMIN_TOKEN: secrets.verifierAdminToken,
          VERIFIER_KEY_SECRET: secrets.verifierKeySecret,
          ...(workers ? { VERIFIER_CLUSTER_WORKERS: workers } : {}),
        },
      });
    });
    issuerPorts.forEach((port, i) => {
      const name = replicaName('issuer', i);
      definitions.set(name, {
        name,
        entry: 'dist/apps/issuer/src/main.js',
        url: `http://${host}:${port}`,
        logFile: path.join(home, `${name}.log`),
        env: {
          ...issuerChainEnv(devnet),
          ...database.issuer,
          ISSUER_HOST: host,
          ISSUER_PORT: String(port),
          ...(replicas > 1 ? { ISSUER_PUBLIC_URL: issuerPublicUrl, ISSUER_WORKERS: 'true' } : {}),
          ...(workers ? { ISSUER_CLUSTER_WORKERS: workers } : {}),
          ISSUER_KMS_SECRET: secrets.kmsSecret,
          ISSUER_ADMIN_TOKEN: secrets.adminToken,
          GOVERNANCE_PRIVATE_KEY: devnet.governance.privateKey,
          FUNDER_PRIVATE_KEY: devnet.funder.privateKey,
          ANCHOR_INTERVAL_MS: '500',
        },
      });
    });

    // The first replica of each service runs its migrations; the others start once it answers.
    for (const service of ['verifier', 'issuer'] as const) {
      const names = [...definitions.keys()].filter((n) => isReplicaOf(service, n));
      await system.startService(names[0]);
      await Promise.all(names.slice(1).map((n) => system.startService(n)));
    }
    const urls = (service: 'issuer' | 'verifier') => [...services.values()].filter((s) => isReplicaOf(service, s.name)).map((s) => s.url);
    manifest.services = { issuer: urls('issuer')[0], verifier: urls('verifier')[0], issuerReplicas: urls('issuer'), verifierReplicas: urls('verifier') };
    if (manifest.agencies.length === 0) {
      log('agencies: creating the demo agencies (keys, DIDs, status lists and accreditation on chain) …');
      manifest.agencies = await createDemoAgencies(manifest.services.issuer!, secrets.adminToken, home, secrets);
    }
    for (const agency of manifest.agencies) log(`  ${agency.name}: ${agency.did} → ${agency.credentialTypes.join(', ')}`);
    // Agencies of a manifest from before staff accounts get theirs now.
    for (const agency of manifest.agencies) agency.staff ??= await createDemoStaff(manifest.services.issuer!, secrets.adminToken, agency);
    // A manifest from before registrations (no DID) or before OID4VP (no signing key) is replaced by an account
    // tied to the DID whose key the verifier holds.
    if (!manifest.verifiers.some((v) => v.did === demoVerifierDid && v.signsRequests)) {
      log('verifiers: creating the demo verifier account …');
      manifest.verifiers = [await createDemoVerifier(manifest.services.verifier!, secrets.verifierAdminToken, demoVerifierDid, secrets.demoVerifierKey)];
    }
    // The demo verifier's counter clerk (verifiers of a manifest from before the counter page get theirs now).
    for (const verifier of manifest.verifiers) {
      if (verifier.signsRequests) verifier.clerks ??= [await createDemoClerk(manifest.services.verifier!, secrets.verifierAdminToken, verifier.id)];
    }
    for (const verifier of manifest.verifiers) log(`  ${verifier.name}: verifier account ${verifier.id} (${verifier.did ?? 'legacy, no DID'})`);
    writeManifest(devnet.manifestFile, manifest);
    return system;
  } catch (error) {
    await system.stop();
    throw error;
  }
}
