/**
 * Issuance over HTTP against the issuer service, beside Veramo's default agent issuing in-process on the same
 * machine in the same run.
 *
 * The issuer runs as a child process (`node dist/apps/issuer/src/main.js`), as production runs it, on its own
 * SQLite file (WAL; every commit made durable by an fsync of the WAL before the answer, as synchronous = FULL
 * does, but off the event loop). The timed section is `POST /credentials/issue` by concurrent clients:
 * checks, a random unique status index, signing in the KMS, the credential record and its audit entry
 * committed before the answer. Every answer must be 201 with a JWT; a sample of them is verified with did-jwt-vc.
 *
 * The baseline is Veramo's default agent: KeyManager with kms-local (SecretBox) and @veramo/data-store's
 * KeyStore/PrivateKeyStore/DIDStore on better-sqlite3, `createVerifiableCredential` (proofFormat jwt,
 * @veramo/credential-jwt), and, since Veramo 7 no longer saves inside createVerifiableCredential, the agent's
 * own persistence of what it issued: `dataStoreSaveVerifiableCredential` (DataStore). Its database gets the
 * WAL and synchronous = FULL (an fsync per commit, as the issuer pays one per group commit), so both sides pay
 * for durable commits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createAgent,
  type ICredentialPlugin,
  type IDataStore,
  type IDIDManager,
  type IKeyManager,
  type IResolver,
  type TAgent,
} from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DataStore, DIDStore, Entities, KeyStore, migrations, PrivateKeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { verifyCredential } from 'did-jwt-vc';
import { Wallet, computeAddress, toBeHex, type JsonRpcProvider, type Signer } from 'ethers';
import { DataSource } from 'typeorm';
import {
  buildCredential,
  createDidResolver,
  ethrDid,
  schemaReference,
  statusEntries,
} from '../../libs/credentials/src/index.js';
import { deployRegistries, type RegistryDeployment } from '../lib/deploy.js';
import { SAMPLE_CLAIMS } from '../lib/sample-claims.js';
import { startService, type ServiceProcess } from '../lib/service.js';
import { closeConnections, postJson, throughput, timed, timedInProcess } from './load.js';
import { median, medianComparison, processCpuMs, round, spread, treeMemoryMb } from './stats.js';

export interface IssuanceBenchOptions {
  /** Credentials issued over HTTP per run (after `warmup`). */
  credentials: number;
  warmup: number;
  /** Concurrent HTTP clients (and concurrent in-process baseline loops). */
  concurrency: number;
  baselineCredentials: number;
  runs: number;
  /** JWTs per run verified with did-jwt-vc. */
  spotChecks: number;
  freePort: () => Promise<number>;
  logDir: string;
  /** Extra environment of the issuer process. */
  issuerEnv?: Record<string, string>;
  /** SD-JWT VC row: items of the bulk job timed after each run (none when 0 or unset). */
  bulkItems?: number;
}

export interface IssuanceRunFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time per credential: of the issuer process (HTTP runs) or of this process (baseline). */
  cpuMsPerCredential?: number;
}

export interface IssuanceResultFigures {
  perSecond: number;
  baselinePerSecond: number;
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  concurrency: number;
  credentialsPerRun: number;
  runs: IssuanceRunFigures[];
  baselineRuns: IssuanceRunFigures[];
  issuerIdleRssMb: number;
  issuerRssMb: number;
  issuerPeakRssMb: number;
  issuerCpuMsPerCredential: number;
  baselineCpuMsPerCredential: number;
  /** JWTs verified with did-jwt-vc against the chain (all must verify). */
  spotChecked: number;
  /** Smallest and largest of the runs behind the medians (each run's ratio to the baseline run after it). */
  spread: { perSecond: [number, number]; ratio: [number, number] };
  /** SD-JWT row: the reference signing with the services' signature library (see sd-jwt-fixtures.ts). */
  sameLibraryBaselinePerSecond?: number;
  sameLibraryRatio?: number;
  sameLibraryRatioSpread?: [number, number];
}

const TYPE = 'NationalIdCredential';
const CLAIMS = SAMPLE_CLAIMS[TYPE];
/** A holder DID in address form (holders never touch the chain). */
const holderDid = (i: number) => ethrDid(31337, `0x${(0x100000 + i).toString(16).padStart(40, '0')}`);

const issueBody = (i: number) => ({
  credential: {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential', TYPE],
    credentialSubject: { id: holderDid(i), ...CLAIMS },
  },
});

export async function fundedWallet(provider: JsonRpcProvider): Promise<Wallet> {
  const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
  await provider.send('hardhat_setBalance', [wallet.address, toBeHex(10n ** 22n)]);
  return wallet;
}

export async function startIssuerProcess(
  rpcUrl: string,
  deployment: RegistryDeployment,
  governance: Wallet,
  funder: Wallet,
  adminToken: string,
  options: Pick<IssuanceBenchOptions, 'freePort' | 'logDir' | 'issuerEnv'>,
  name = 'bench-issuer',
): Promise<ServiceProcess> {
  const port = await options.freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'govcred-bench-issuer-'));
  return startService({
    name,
    entry: 'dist/apps/issuer/src/main.js',
    url: `http://127.0.0.1:${port}`,
    logFile: path.join(options.logDir, `${name}.log`),
    timeoutMs: 120_000,
    // BENCH_ISSUER_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" profiles the issuer.
    nodeArgs: process.env.BENCH_ISSUER_NODE_ARGS?.split(' ').filter(Boolean),
    env: {
      ISSUER_HOST: '127.0.0.1',
      ISSUER_PORT: String(port),
      ISSUER_SQLITE_PATH: path.join(dir, 'issuer.sqlite'),
      ISSUER_KMS_SECRET: randomBytes(32).toString('hex'),
      ISSUER_ADMIN_TOKEN: adminToken,
      GOVERNANCE_PRIVATE_KEY: governance.privateKey,
      FUNDER_PRIVATE_KEY: funder.privateKey,
      CHAIN_RPC_URL: rpcUrl,
      CHAIN_ID: '31337',
      DID_REGISTRY: deployment.didRegistry,
      TRUST_REGISTRY: deployment.trustRegistry,
      STATUS_REGISTRY: deployment.statusRegistry,
      DEPLOY_BLOCK: String(deployment.deployBlock),
      ...options.issuerEnv,
    },
  });
}

type BaselineAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin & IDataStore>;

/** Veramo's default agent on a fresh better-sqlite3 file, with one did:ethr issuer (address form, as the issuer's). */
async function baselineAgent(rpcUrl: string, deployment: RegistryDeployment, dir: string): Promise<{ agent: BaselineAgent; did: string; close(): Promise<void> }> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path.join(dir, 'veramo.sqlite'),
    entities: Entities,
    migrations,
    migrationsRun: true,
    synchronize: false,
    logging: false,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    },
  });
  await dataSource.initialize();
  const network = { name: '0x7a69', chainId: 31337, rpcUrl, registry: deployment.didRegistry };
  const veramo = createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin & IDataStore>({
    plugins: [
      new KeyManager({
        store: new KeyStore(dataSource),
        kms: { local: new KeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(randomBytes(32).toString('hex')))) },
      }),
      new DIDManager({
        store: new DIDStore(dataSource),
        defaultProvider: 'did:ethr:0x7a69',
        providers: { 'did:ethr:0x7a69': new EthrDIDProvider({ defaultKms: 'local', networks: [network] }) },
      }),
      new DIDResolverPlugin({ resolver: createDidResolver({ chainId: 31337, rpcUrl, didRegistry: deployment.didRegistry }) as never }),
      new CredentialPlugin([new CredentialProviderJWT()]),
      new DataStore(dataSource),
    ],
  });
  const key = await veramo.keyManagerCreate({ kms: 'local', type: 'Secp256k1' });
  const did = ethrDid(31337, computeAddress(`0x${key.publicKeyHex}`));
  await veramo.didManagerImport({ did, provider: 'did:ethr:0x7a69', controllerKeyId: key.kid, keys: [], services: [] });
  await veramo.didManagerAddKey({ did, key, options: { localOnly: true } });
  return { agent: veramo, did, close: () => dataSource.destroy() };
}

/** One baseline run: `count` credentials in govcred's format, signed and saved by Veramo's default agent. */
async function runBaseline(veramo: BaselineAgent, did: string, deployment: RegistryDeployment, count: number, concurrency: number): Promise<IssuanceRunFigures> {
  const { cpuMsPerJob, ...figures } = await timedInProcess(count, concurrency, async (i) => {
    const credential = buildCredential({
      type: TYPE,
      id: `urn:uuid:${randomUUID()}`,
      issuerDid: did,
      subjectDid: holderDid(i),
      claims: CLAIMS,
      schema: schemaReference(TYPE),
      status: statusEntries({
        chainId: 31337,
        statusRegistry: deployment.statusRegistry,
        owner: did.slice(-42),
        revocationListId: 1n,
        suspensionListId: 2n,
        index: i,
      }),
      issuanceDate: new Date(),
    });
    const vc = await veramo.createVerifiableCredential({ credential: credential as never, proofFormat: 'jwt', removeOriginalFields: true });
    await veramo.dataStoreSaveVerifiableCredential({ verifiableCredential: vc });
    return typeof vc.proof?.jwt === 'string';
  }, 'baseline: credentials with a JWT');
  return { ...figures, cpuMsPerCredential: cpuMsPerJob };
}

export async function runIssuanceBench(
  provider: JsonRpcProvider,
  deployer: Signer,
  rpcUrl: string,
  options: IssuanceBenchOptions,
  log: (line: string) => void,
): Promise<IssuanceResultFigures> {
  const governance = await fundedWallet(provider);
  const funder = await fundedWallet(provider);
  const deployment = await deployRegistries(deployer, governance.address);
  const adminToken = randomBytes(24).toString('base64url');
  log('issuance: starting the issuer service …');
  const issuer = await startIssuerProcess(rpcUrl, deployment, governance, funder, adminToken, options);
  const dir = mkdtempSync(path.join(tmpdir(), 'govcred-bench-veramo-'));
  const resolver = createDidResolver({ chainId: 31337, rpcUrl, didRegistry: deployment.didRegistry });
  try {
    const created = await postJson(`${issuer.url}/admin/agencies`, { nameZh: '基准机构', nameEn: 'Bench agency', credentialTypes: [TYPE], ownerAddress: Wallet.createRandom().address }, { authorization: `Bearer ${adminToken}` });
    if (created.status !== 201) throw new Error(`agency creation failed: ${created.status} ${created.body}`);
    const { apiKey, did: agencyDid } = JSON.parse(created.body) as { apiKey: string; did: string };
    const headers = { 'x-api-key': apiKey };
    const idle = await treeMemoryMb(issuer.process.pid!);

    // Bodies are serialised before each timed section (as the verification rows do): the clients spend CPU on HTTP only.
    let issued = 0;
    const bodies = (count: number) => Array.from({ length: count }, () => Buffer.from(JSON.stringify(issueBody(issued++))));
    const issueOne = async (body: Buffer, jwts?: string[]) => {
      const reply = await postJson(`${issuer.url}/credentials/issue`, body, headers);
      if (reply.status !== 201) throw new Error(`issuance answered ${reply.status}: ${reply.body}`);
      const jwt = (JSON.parse(reply.body) as { verifiableCredential?: unknown }).verifiableCredential;
      if (typeof jwt !== 'string' || jwt.split('.').length !== 3) throw new Error(`issuance answered without a JWT: ${reply.body}`);
      jwts?.push(jwt);
    };
    const warmup = bodies(options.warmup);
    await timed(options.warmup, options.concurrency, (i) => issueOne(warmup[i]));

    const baseline = await baselineAgent(rpcUrl, deployment, dir);
    await runBaseline(baseline.agent, baseline.did, deployment, Math.min(100, options.baselineCredentials), options.concurrency); // warm-up

    const runs: IssuanceRunFigures[] = [];
    const baselineRuns: IssuanceRunFigures[] = [];
    let spotChecked = 0;
    for (let r = 0; r < options.runs; r++) {
      const jwts: string[] = [];
      const work = bodies(options.credentials);
      const cpuBefore = await processCpuMs(issuer.process.pid!);
      const run = await timed(options.credentials, options.concurrency, (i) => issueOne(work[i], jwts));
      const cpuMs = (await processCpuMs(issuer.process.pid!)) - cpuBefore;
      runs.push({ ...throughput(options.credentials, run), cpuMsPerCredential: round(cpuMs / options.credentials, 3) });
      // Spot checks (untimed): signatures, issuer and format, verified by did-jwt-vc against the chain.
      for (let k = 0; k < options.spotChecks; k++) {
        const jwt = jwts[Math.floor(Math.random() * jwts.length)];
        const verified = await verifyCredential(jwt, resolver as never);
        if (verified.issuer !== agencyDid || verified.payload.vc?.credentialSubject?.name !== CLAIMS.name) throw new Error('a spot-checked credential does not match its request');
        spotChecked++;
      }
      baselineRuns.push(await runBaseline(baseline.agent, baseline.did, deployment, options.baselineCredentials, options.concurrency));
      log(
        `issuance run ${r + 1}/${options.runs}: HTTP ${runs[r].perSecond}/s (p50 ${runs[r].p50Ms} ms, p99 ${runs[r].p99Ms} ms, ` +
          `issuer CPU ${runs[r].cpuMsPerCredential} ms/credential); Veramo in-process ${baselineRuns[r].perSecond}/s ` +
          `(p50 ${baselineRuns[r].p50Ms} ms, CPU ${baselineRuns[r].cpuMsPerCredential} ms/credential)`,
      );
    }
    await baseline.close();
    const memory = await treeMemoryMb(issuer.process.pid!);
    return issuanceFigures(runs, baselineRuns, options, idle, memory, spotChecked);
  } finally {
    await issuer.stop();
    closeConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures of an issuance row: medians of its runs and of the baseline's, same run. */
export function issuanceFigures(
  runs: IssuanceRunFigures[],
  baselineRuns: IssuanceRunFigures[],
  options: Pick<IssuanceBenchOptions, 'concurrency' | 'credentials'>,
  idle: { rssMb: number },
  memory: { rssMb: number; peakMb: number },
  spotChecked: IssuanceResultFigures['spotChecked'],
): IssuanceResultFigures {
  return {
    ...medianComparison(runs, baselineRuns),
    spread: { perSecond: spread(runs.map((r) => r.perSecond)), ratio: spread(runs.map((r, i) => round(r.perSecond / baselineRuns[i].perSecond, 2))) },
    concurrency: options.concurrency,
    credentialsPerRun: options.credentials,
    runs,
    baselineRuns,
    issuerIdleRssMb: idle.rssMb,
    issuerRssMb: memory.rssMb,
    issuerPeakRssMb: memory.peakMb,
    issuerCpuMsPerCredential: median(runs.map((r) => r.cpuMsPerCredential!)),
    baselineCpuMsPerCredential: median(baselineRuns.map((r) => r.cpuMsPerCredential!)),
    spotChecked,
  };
}
