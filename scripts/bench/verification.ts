/**
 * Presentation verification over HTTP against the verifier service, beside Veramo's in-process
 * verifyPresentation + verifyCredential on the same chain in the same run.
 *
 * The verifier runs as a child process (`node dist/apps/verifier/src/main.js`), as production runs it: its
 * resident memory is its own, and its chain calls go through a counting JSON-RPC proxy. Challenges
 * (`POST /challenges`) and VP-JWTs are made before the timed section (a holder's wallet signs on the holder's phone, not
 * on the verifier's machine); the timed section is only `POST /presentations/verify` by concurrent clients.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAgent, type ICredentialPlugin, type IResolver } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { SigningKey, type JsonRpcProvider, type Signer, type Wallet } from 'ethers';
import { createDidResolver } from '../../libs/credentials/src/index.js';
import { deployRegistries, type RegistryDeployment } from '../lib/deploy.js';
import { workerCount } from '../../apps/common/src/runtime/cluster.js';
import { startService, type ServiceProcess } from '../lib/service.js';
import { BENCH_TYPE, createAgency, createHolder, issueCredential, presentCredential, type BenchHolder } from './fixtures.js';
import { startRpcCounter, type RpcCounter } from './rpc-counter.js';
import { closeConnections, postJson, throughput, timed, timedInProcess } from './load.js';
import { bareSignatureMs } from './bare-signatures.js';
import { median, medianComparison, memoryByProcessMb, processCpuMs, round, spread, treeMemoryMb } from './stats.js';

export interface VerificationBenchOptions {
  /** Presentations verified over HTTP per run (after `warmup`). */
  presentations: number;
  warmup: number;
  /** Concurrent HTTP clients (and concurrent in-process baseline loops). */
  concurrency: number;
  /** Distinct holders; each presentation is signed by one of them in turn. */
  holders: number;
  baselineIterations: number;
  runs: number;
  freePort: () => Promise<number>;
  logDir: string;
  /** Extra environment of the verifier process (e.g. VERIFIER_WORKERS). */
  verifierEnv?: Record<string, string>;
}

/** One measured run. */
export interface RunFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time per verification: of the verifier process(es) (HTTP runs) or of this process (baseline). */
  cpuMsPerVerification?: number;
  /** CPU time per verification of this process, the HTTP clients (HTTP runs). */
  clientCpuMsPerVerification?: number;
  /** CPU time of the bare signature checks of the same presentations, timed in this run (HTTP runs): libsecp256k1, as the service checks. */
  bareSignatureMs?: number;
  /** The same checks with node:crypto (OpenSSL). */
  bareNodeCryptoSignatureMs?: number;
  /** CPU time per verification of the floor server (verification-floor.ts) on the same presentations (HTTP runs). */
  floorCpuMsPerVerification?: number;
  /** The floor server's rate on them. */
  floorPerSecond?: number;
}

export interface VerificationResultFigures {
  perSecond: number;
  baselinePerSecond: number;
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  concurrency: number;
  presentationsPerRun: number;
  runs: RunFigures[];
  baselineRuns: RunFigures[];
  /** Chain JSON-RPC calls the verifier made during the timed sections, by method, and per verification. */
  rpcCalls: Record<string, number>;
  rpcCallsPerVerification: number;
  verifierRssMb: number;
  verifierPeakRssMb: number;
  /** RSS of the same verifier right after start-up, before any request (a registry with two small lists). */
  verifierIdleRssMb: number;
  /** Median CPU time the verifier spent per verification, ms (independent of how busy the machine was). */
  verifierCpuMsPerVerification: number;
  baselineCpuMsPerVerification: number;
  /** Median CPU time of the bare signature checks of one presentation (VP + VC, libsecp256k1 as the service, keys in hand), ms. */
  bareSignatureMsPerPresentation: number;
  /** The same with node:crypto (OpenSSL), ms. */
  bareNodeCryptoSignatureMsPerPresentation: number;
  /** Median over the runs of the verifier's CPU per verification (all its processes) ÷ the bare signature checks. */
  cpuPerVerificationOverBareSignatures: number;
  /** The same ÷ the node:crypto checks. */
  cpuPerVerificationOverNodeCryptoSignatures: number;
  /**
   * Median CPU per verification of the floor (verification-floor.ts: HTTP, JSON, both signatures, the single-use
   * UPDATE, nothing else) on the same presentations with as many workers, ms; its rate; and the medians of the
   * verifier's CPU ÷ the floor's and of the floor's ÷ the bare checks.
   */
  floor: { cpuMsPerVerification: number; perSecond: number; verifierOverFloor: number; floorOverBareSignatures: number; spread: { verifierOverFloor: [number, number]; floorOverBareSignatures: [number, number] } };
  /** Worker processes of the verifier (VERIFIER_CLUSTER_WORKERS; default one per core). */
  workers: number;
  /** RSS after the runs of the cluster's primary and of each worker (each holds its own mirrors), MB. */
  verifierRssByProcessMb: { primaryMb: number; childrenMb: number[] };
  /** Smallest and largest of the runs behind each median. */
  spread: { perSecond: [number, number]; ratio: [number, number]; cpuPerVerificationOverBareSignatures: [number, number] };
}

export const DOMAIN = 'bench.verifier.example';
/** Admin token of the bench's own verifier processes (a throwaway chain and database). */
const ADMIN_TOKEN = 'bench-verifier-admin-token';

/** Creates the verifier account the bench's challenges belong to; returns its API key. */
export async function createBenchVerifierAccount(url: string): Promise<string> {
  const reply = await postJson(`${url}/admin/verifiers`, { name: 'Bench verifier' }, { authorization: `Bearer ${ADMIN_TOKEN}` });
  if (reply.status !== 201) throw new Error(`verifier account failed: ${reply.status} ${reply.body}`);
  return (JSON.parse(reply.body) as { apiKey: string }).apiKey;
}

interface Prepared {
  body: unknown;
}

/**
 * Takes `count` challenges from the verifier (as the account of `apiKey`) and the holders' answers to
 * them (untimed). The timed answers are sent without a key, as wallets send them.
 */
async function prepare(url: string, apiKey: string, count: number, holders: BenchHolder[], credentials: string[]): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await postJson(`${url}/challenges`, {}, { 'x-api-key': apiKey });
    if (reply.status !== 201) throw new Error(`challenge failed: ${reply.status} ${reply.body}`);
    const request = JSON.parse(reply.body) as { challenge: string; domain: string };
    const h = i % holders.length;
    const vp = await presentCredential(holders[h], credentials[h], request.challenge, request.domain);
    const query = { credentials: [{ type: BENCH_TYPE, claims: ['name'] }] };
    out.push({ body: { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query } } });
  }
  return out;
}

export async function startVerifierProcess(rpcUrl: string, deployment: RegistryDeployment, options: Pick<VerificationBenchOptions, 'freePort' | 'logDir' | 'verifierEnv'>, name: string): Promise<ServiceProcess> {
  const port = await options.freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'govcred-bench-'));
  return startService({
    name,
    entry: 'dist/apps/verifier/src/main.js',
    url: `http://127.0.0.1:${port}`,
    readyPath: '/health',
    logFile: path.join(options.logDir, `${name}.log`),
    timeoutMs: 120_000,
    // BENCH_VERIFIER_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" profiles the verifier.
    nodeArgs: process.env.BENCH_VERIFIER_NODE_ARGS?.split(' ').filter(Boolean),
    env: {
      VERIFIER_HOST: '127.0.0.1',
      VERIFIER_PORT: String(port),
      VERIFIER_SQLITE_PATH: path.join(dir, 'verifier.sqlite'),
      CHAIN_RPC_URL: rpcUrl,
      CHAIN_ID: '31337',
      DID_REGISTRY: deployment.didRegistry,
      TRUST_REGISTRY: deployment.trustRegistry,
      STATUS_REGISTRY: deployment.statusRegistry,
      VERIFIER_REGISTRY: deployment.verifierRegistry,
      DEPLOY_BLOCK: String(deployment.deployBlock),
      VERIFIER_DOMAIN: DOMAIN,
      VERIFIER_ADMIN_TOKEN: ADMIN_TOKEN,
      ...options.verifierEnv,
    },
  });
}

/** Veramo 7's own way, in process: verifyPresentation, then verifyCredential on each embedded credential. */
async function runBaseline(
  rpcUrl: string,
  deployment: RegistryDeployment,
  prepared: Array<{ vp: string; challenge: string; credential: string }>,
  concurrency: number,
): Promise<RunFigures> {
  const veramo = createAgent<IResolver & ICredentialPlugin>({
    plugins: [
      new DIDResolverPlugin({ resolver: createDidResolver({ chainId: 31337, rpcUrl, didRegistry: deployment.didRegistry }) as never }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  const { cpuMsPerJob, ...figures } = await timedInProcess(
    prepared.length,
    concurrency,
    async (i) => {
      const { vp, challenge, credential } = prepared[i];
      const presentation = await veramo.verifyPresentation({ presentation: vp, challenge, domain: DOMAIN });
      const embedded = await veramo.verifyCredential({ credential });
      return presentation.verified && embedded.verified;
    },
    'baseline: presentations that verify',
  );
  return { ...figures, cpuMsPerVerification: cpuMsPerJob };
}

/**
 * The floor server (verification-floor.ts) with as many workers as the verifier, holding the public keys of
 * `wallets` (the agency and the holders) by address, on a SQLite file of its own.
 */
async function startFloorProcess(options: VerificationBenchOptions, wallets: Wallet[]): Promise<ServiceProcess> {
  const port = await options.freePort();
  const setting = options.verifierEnv?.VERIFIER_CLUSTER_WORKERS ?? process.env.VERIFIER_CLUSTER_WORKERS;
  const workers = workerCount(setting === undefined ? undefined : Number(setting));
  const keys = Object.fromEntries(wallets.map((w) => [w.address.toLowerCase(), SigningKey.computePublicKey(w.privateKey, false).slice(2)]));
  return startService({
    name: 'bench-verifier-floor',
    entry: 'dist/scripts/bench/verification-floor.js',
    url: `http://127.0.0.1:${port}`,
    readyPath: '/health',
    logFile: path.join(options.logDir, 'bench-verifier-floor.log'),
    env: {
      FLOOR_PORT: String(port),
      FLOOR_WORKERS: String(workers),
      FLOOR_SQLITE_PATH: path.join(mkdtempSync(path.join(tmpdir(), 'govcred-bench-floor-')), 'floor.sqlite'),
      FLOOR_KEYS: JSON.stringify(keys),
    },
  });
}

/** The request bodies of `presentations`, serialised once for every service they are sent to. */
const payloadsOf = (presentations: Prepared[]) => presentations.map((p) => Buffer.from(JSON.stringify(p.body)));

/**
 * `POST /presentations/verify` of each payload on `url` from `concurrency` clients, timed, with the CPU the process
 * tree of `pid` spent meanwhile; answers that are not a verified 200 are counted, the first one kept.
 */
async function verifyAll(url: string, pid: number, payloads: Buffer[], concurrency: number) {
  let refused = 0;
  let firstRefusal: string | undefined;
  const cpuBefore = await processCpuMs(pid);
  const run = await timed(payloads.length, concurrency, async (i) => {
    const reply = await postJson(`${url}/presentations/verify`, payloads[i]);
    if (reply.status !== 200 || !(JSON.parse(reply.body) as { verified: boolean }).verified) {
      refused++;
      firstRefusal ??= `${reply.status} ${reply.body.slice(0, 400)}`;
    }
  });
  return { run, cpuMs: (await processCpuMs(pid)) - cpuBefore, refused, firstRefusal };
}

/**
 * The run's presentations (`work`, with their serialised `payloads`) through the floor server, after its own
 * warm-up with the run's warm-up presentations (their challenges loaded untimed): its rate and CPU per
 * verification. Throws unless every one verified.
 */
async function runFloor(
  floor: ServiceProcess,
  warm: { presentations: Prepared[]; payloads: Buffer[] },
  work: { presentations: Prepared[]; payloads: Buffer[] },
  concurrency: number,
): Promise<{ perSecond: number; cpuMsPerVerification: number }> {
  const challengeOf = (p: Prepared) => (p.body as { options: { challenge: string } }).options.challenge;
  const send = async ({ presentations, payloads }: { presentations: Prepared[]; payloads: Buffer[] }) => {
    const loaded = await postJson(`${floor.url}/challenges`, presentations.map(challengeOf));
    if (loaded.status !== 201) throw new Error(`floor: challenges not loaded: ${loaded.status} ${loaded.body}`);
    const { run, cpuMs, refused, firstRefusal } = await verifyAll(floor.url, floor.process.pid!, payloads, concurrency);
    if (refused > 0) throw new Error(`floor: ${refused} honest presentations were not verified (first: ${firstRefusal})`);
    return { perSecond: throughput(payloads.length, run).perSecond, cpuMsPerVerification: round(cpuMs / payloads.length, 3) };
  };
  await send(warm);
  return send(work);
}

export async function runVerificationBench(
  provider: JsonRpcProvider,
  governance: Signer,
  rpcUrl: string,
  options: VerificationBenchOptions,
  log: (line: string) => void,
): Promise<VerificationResultFigures> {
  const deployment = await deployRegistries(governance);
  const agency = await createAgency(provider, governance, deployment);
  const holders = Array.from({ length: options.holders }, createHolder);
  const credentials = await Promise.all(holders.map((h) => issueCredential(agency, h, deployment)));
  const counter: RpcCounter = await startRpcCounter(rpcUrl);
  const verifier = await startVerifierProcess(counter.url, deployment, options, 'bench-verifier');
  log(`verification: verifier pid ${verifier.process.pid} at ${verifier.url}; ${holders.length} holders, ${options.concurrency} clients`);
  const floor = await startFloorProcess(options, [agency.wallet, ...holders.map((h) => h.wallet)]);
  const idle = await treeMemoryMb(verifier.process.pid!);
  const apiKey = await createBenchVerifierAccount(verifier.url);
  const runs: RunFigures[] = [];
  const baselineRuns: RunFigures[] = [];
  const rpcCalls: Record<string, number> = {};
  let verified = 0;
  try {
    for (let r = 0; r < options.runs; r++) {
      const warm = await prepare(verifier.url, apiKey, options.warmup, holders, credentials);
      const warmPayloads = payloadsOf(warm);
      // As many clients as the timed run: one client's keep-alive connection warms one worker only.
      await timed(warm.length, options.concurrency, async (i) => void (await postJson(`${verifier.url}/presentations/verify`, warmPayloads[i])));
      const work = await prepare(verifier.url, apiKey, options.presentations, holders, credentials);
      const payloads = payloadsOf(work);
      counter.reset();
      const clientCpuBefore = process.cpuUsage();
      const { run, cpuMs: verifierCpu, refused, firstRefusal } = await verifyAll(verifier.url, verifier.process.pid!, payloads, options.concurrency);
      const clientCpu = process.cpuUsage(clientCpuBefore);
      for (const [method, n] of Object.entries(counter.counts())) rpcCalls[method] = (rpcCalls[method] ?? 0) + n;
      if (refused > 0) {
        log(`verification: unexpected answer ${firstRefusal}`);
        throw new Error(`verification: ${refused} honest presentations were not verified`);
      }
      verified += work.length;
      const floorRun = await runFloor(floor, { presentations: warm, payloads: warmPayloads }, { presentations: work, payloads }, options.concurrency);
      // The floor of this CPU: the same presentations' two signature checks, bare, in this process.
      const bare = bareSignatureMs(
        work.map((w, i) => ({ vp: (w.body as { verifiablePresentation: string }).verifiablePresentation, credential: credentials[i % holders.length] })),
        (i) => holders[i % holders.length].wallet,
        agency.wallet,
        2000,
      );
      runs.push({
        ...throughput(work.length, run),
        cpuMsPerVerification: round(verifierCpu / work.length, 3),
        clientCpuMsPerVerification: round((clientCpu.user + clientCpu.system) / 1000 / work.length, 3),
        bareSignatureMs: bare.libsecp256k1Ms,
        bareNodeCryptoSignatureMs: bare.nodeCryptoMs,
        floorCpuMsPerVerification: floorRun.cpuMsPerVerification,
        floorPerSecond: floorRun.perSecond,
      });

      // The baseline: same kind of presentation (fresh challenge each), same chain, same concurrency.
      const base = [];
      for (let i = 0; i < options.baselineIterations; i++) {
        const challenge = `baseline-${r}-${i}-${Math.random()}`;
        const h = i % holders.length;
        base.push({ vp: await presentCredential(holders[h], credentials[h], challenge, DOMAIN), challenge, credential: credentials[h] });
      }
      baselineRuns.push(await runBaseline(rpcUrl, deployment, base, options.concurrency));
      log(
        `verification run ${r + 1}/${options.runs}: HTTP ${runs[r].perSecond}/s (p50 ${runs[r].p50Ms} ms, p99 ${runs[r].p99Ms} ms, ` +
          `verifier CPU ${runs[r].cpuMsPerVerification} ms/verification, clients ${runs[r].clientCpuMsPerVerification} ms, ` +
          `bare signatures ${runs[r].bareSignatureMs} ms, with node:crypto ${runs[r].bareNodeCryptoSignatureMs} ms; ` +
          `floor ${runs[r].floorPerSecond}/s, CPU ${runs[r].floorCpuMsPerVerification} ms/verification); ` +
          `Veramo in-process ${baselineRuns[r].perSecond}/s (CPU ${baselineRuns[r].cpuMsPerVerification} ms/verification)`,
      );
    }
    const memory = await treeMemoryMb(verifier.process.pid!);
    const byProcess = await memoryByProcessMb(verifier.process.pid!);
    const overBare = runs.map((r) => round(r.cpuMsPerVerification! / r.bareSignatureMs!, 2));
    const overFloor = runs.map((r) => round(r.cpuMsPerVerification! / r.floorCpuMsPerVerification!, 2));
    const floorOverBare = runs.map((r) => round(r.floorCpuMsPerVerification! / r.bareSignatureMs!, 2));
    const ratios = runs.map((r, i) => round(r.perSecond / baselineRuns[i].perSecond, 2));
    const totalRpc = Object.values(rpcCalls).reduce((a, b) => a + b, 0);
    return {
      ...medianComparison(runs, baselineRuns),
      concurrency: options.concurrency,
      presentationsPerRun: options.presentations,
      runs,
      baselineRuns,
      rpcCalls,
      rpcCallsPerVerification: round(totalRpc / verified, 4),
      verifierRssMb: memory.rssMb,
      verifierPeakRssMb: memory.peakMb,
      verifierIdleRssMb: idle.rssMb,
      verifierCpuMsPerVerification: median(runs.map((r) => r.cpuMsPerVerification!)),
      baselineCpuMsPerVerification: median(baselineRuns.map((r) => r.cpuMsPerVerification!)),
      bareSignatureMsPerPresentation: median(runs.map((r) => r.bareSignatureMs!)),
      cpuPerVerificationOverBareSignatures: median(overBare),
      bareNodeCryptoSignatureMsPerPresentation: median(runs.map((r) => r.bareNodeCryptoSignatureMs!)),
      cpuPerVerificationOverNodeCryptoSignatures: median(runs.map((r) => round(r.cpuMsPerVerification! / r.bareNodeCryptoSignatureMs!, 2))),
      floor: {
        cpuMsPerVerification: median(runs.map((r) => r.floorCpuMsPerVerification!)),
        perSecond: median(runs.map((r) => r.floorPerSecond!)),
        verifierOverFloor: median(overFloor),
        floorOverBareSignatures: median(floorOverBare),
        spread: { verifierOverFloor: spread(overFloor), floorOverBareSignatures: spread(floorOverBare) },
      },
      // A single process (VERIFIER_CLUSTER_WORKERS=1) has no children: it is its own worker.
      workers: Math.max(1, byProcess.childrenMb.length),
      verifierRssByProcessMb: byProcess,
      spread: { perSecond: spread(runs.map((r) => r.perSecond)), ratio: spread(ratios), cpuPerVerificationOverBareSignatures: spread(overBare) },
    };
  } finally {
    await verifier.stop();
    await floor.stop();
    await counter.close();
    closeConnections();
  }
}
