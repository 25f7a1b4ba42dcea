/**
 * `npm run bench`: benchmarks on a chain of its own (a Hardhat node on a free port), each beside a baseline
 * measured in the same run. Prints tables and writes bench-results/*.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nativeSecp256k1 } from '../../libs/credentials/src/crypto/secp256k1.js';
import { createProvider } from '../../libs/credentials/src/index.js';
import { startChainNode } from '../lib/chain-node.js';
import { repoRoot } from '../lib/paths.js';
import { freePort } from '../lib/processes.js';
import { runDidRotationBench } from './did-rotation.js';
import { formatGasTable, runAuditGasBench, runGasBench, runOperationGasBench, type GasResult } from './gas.js';
import { runIssuanceBench, type IssuanceResultFigures } from './issuance.js';
import { runMirrorBench, type MirrorResult } from './mirror.js';
import { runSdJwtIssuanceBench, type SdJwtIssuanceFigures } from './sd-jwt-issuance.js';
import { runSdJwtVerificationBench, type SdJwtVerificationFigures } from './sd-jwt-verification.js';
import { formatThroughputTable } from './table.js';
import { memoryByProcessMb, treeMemoryMb } from './stats.js';
import { runVerificationBench, startVerifierProcess, type VerificationResultFigures } from './verification.js';


const log = (line: string) => console.log(`[bench] ${line}`);

/**
 * `BENCH_ONLY=verification,mirror` runs a subset (all by default; `operations-gas` is the key-hierarchy gas rows); `sd-jwt` is the two SD-JWT VC rows, also run
 * one at a time as `sd-jwt-issuance` and `sd-jwt-verification`.
 */
const only = (name: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(name);
const numberEnv = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

async function main(): Promise<void> {
  const outDir = path.join(repoRoot(), 'bench-results');
  mkdirSync(outDir, { recursive: true });
  let verification: VerificationResultFigures | undefined;
  let mirror: MirrorResult | undefined;
  let issuance: IssuanceResultFigures | undefined;
  const sdJwt: SdJwtFigures = {};
  // The services sign and check ES256K with libsecp256k1; its pure-JS fallback would be several times slower.
  log(`ES256K: ${nativeSecp256k1 ? 'libsecp256k1 (native binding)' : 'the secp256k1 package’s pure-JS fallback (no native binding loaded)'}`);
  log('starting a Hardhat chain for the benchmarks …');
  const chain = await startChainNode({ port: await freePort() });
  const provider = createProvider(chain.rpcUrl, chain.chainId, 50);
  try {
    const signer = await provider.getSigner(0);
    if (only('gas') || only('audit-gas') || only('operations-gas')) {
      // `BENCH_ONLY=audit-gas` (or `operations-gas`) measures that part alone and keeps the other rows of the previous file.
      const file = path.join(outDir, 'gas.json');
      const previous = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined) as GasResult | undefined;
      // Without status rows to keep (a fresh clone: no previous file, or one a partial run wrote with
      // `listSize: 0, rows: []`), the status rows are measured too: gas.json never loses them.
      const status = only('gas') || !previous?.rows?.length ? await runGasBench(signer, [1, 100, 1_000, 10_000], log) : previous;
      const audit = only('gas') || only('audit-gas') || !previous?.audit?.length ? await runAuditGasBench(signer, [100, 1_000, 10_000], log) : previous.audit;
      const operations = only('gas') || only('operations-gas') || !previous?.operations?.length ? await runOperationGasBench(signer, log) : previous.operations;
      const gas = { listSize: status.listSize, rows: status.rows, ...(status.revocation ? { revocation: status.revocation } : {}), audit, operations };
      writeFileSync(file, JSON.stringify(gas, null, 2) + '\n');
      console.log('\n' + formatGasTable(gas) + '\n');
      if (gas.revocation) {
        console.log(
          `Revocation of ${gas.revocation.indexes.toLocaleString('en')} random indexes in a ${gas.revocation.listSize.toLocaleString('en')}-entry list: ` +
            `${gas.revocation.gasPerCredential} gas per credential (naive bitmap ${gas.revocation.baselineGasPerCredential}, packed indexes ${gas.revocation.packedGasPerCredential})`,
        );
      }
      for (const r of audit) console.log(`Audit anchor of ${r.auditBatch.toLocaleString('en')} entries: ${r.gasPerEntry} gas per entry (a stream's first anchor: ${r.firstAnchorGasPerEntry})`);
      for (const r of operations) console.log(`${r.operation}: ${r.gas.toLocaleString('en')} gas`);
      log(`wrote ${file}`);
    }
    if (only('mirror')) {
      mirror = await runMirrorBench(signer, chain.rpcUrl, { credentials: 10_000_000, changeRatio: 0.05 }, log);
      // The verifier service itself against that registry: time until it answers (the first worker's mirrors synced)
      // and until every worker does, and RSS then, as deployed (one worker per core, each with its own mirrors) and
      // as one process.
      for (const workers of [undefined, '1']) {
        const name = workers ? 'bench-verifier-10m-single' : 'bench-verifier-10m';
        const env = workers ? { VERIFIER_CLUSTER_WORKERS: workers } : undefined;
        const service = await startVerifierProcess(chain.rpcUrl, mirror.deployment!, { freePort, logDir: outDir, verifierEnv: env }, name);
        const seconds = service.startup.firstAnswerSeconds;
        const rssMb = (await treeMemoryMb(service.process.pid!)).rssMb;
        const byProcess = await memoryByProcessMb(service.process.pid!);
        await service.stop();
        if (workers) {
          mirror.singleProcessColdSyncSeconds = seconds;
          mirror.singleProcessRssMb = rssMb;
        } else {
          mirror.serviceColdSyncSeconds = seconds;
          mirror.serviceEveryWorkerSeconds = service.startup.everyWorkerSeconds;
          mirror.serviceRssMb = rssMb;
          mirror.serviceRssByProcessMb = byProcess;
        }
      }
      const { deployment: _deployment, ...mirrorJson } = mirror;
      writeFileSync(path.join(outDir, 'mirror.json'), JSON.stringify(mirrorJson, null, 2) + '\n');
      console.log(
        `\nStatus mirror cold sync: ${mirror.credentials.toLocaleString('en')} credentials in ${mirror.lists} lists, ` +
          `${mirror.statusChanges.toLocaleString('en')} status changes: ${mirror.coldSyncSeconds} s, ` +
          `${mirror.retainedMb} MB retained (RSS grew ${mirror.rssMb} MB); verifier service: answering after ` +
          `${mirror.serviceColdSyncSeconds} s, every worker after ${mirror.serviceEveryWorkerSeconds} s, ${mirror.serviceRssMb} MB RSS (primary ${mirror.serviceRssByProcessMb?.primaryMb} MB, workers ` +
          `${mirror.serviceRssByProcessMb?.childrenMb.join(' / ')} MB); as one process (VERIFIER_CLUSTER_WORKERS=1): answering after ` +
          `${mirror.singleProcessColdSyncSeconds} s, ${mirror.singleProcessRssMb} MB RSS\n`,
      );
    }
    if (only('did-rotation')) {
      // An agency that rotated its signing key ten times: verification must stay on the DID mirror's memory.
      const didRotation = await runDidRotationBench(provider, signer, chain.rpcUrl, { rotations: 10, verifications: numberEnv('BENCH_DID_ROTATION_VERIFICATIONS', 2000), concurrency: 8 }, log);
      writeFileSync(path.join(outDir, 'did-rotation.json'), JSON.stringify(didRotation, null, 2) + '\n');
      console.log(
        `\nVerification, agency after ${didRotation.rotations} key rotations: ${didRotation.perSecond}/s in process (p50 ${didRotation.p50Ms} ms, ` +
          `p99 ${didRotation.p99Ms} ms); DID queries ${didRotation.mirrorMemory} from memory, ${didRotation.mirrorFallback} to the chain; ` +
          `${didRotation.rpcCalls} chain calls in all\n`,
      );
    }
    // Last: the in-process mirror figures above need a heap without the verification run's garbage.
    if (only('verification')) {
      verification = await runVerificationBench(
        provider,
        signer,
        chain.rpcUrl,
        {
          presentations: numberEnv('BENCH_PRESENTATIONS', 3000),
          // A run's worth: a fresh service spent up to 1.9× the CPU per request of its steady state in its first run.
          warmup: numberEnv('BENCH_WARMUP', 3000),
          concurrency: numberEnv('BENCH_CONCURRENCY', 8),
          holders: 16,
          baselineIterations: numberEnv('BENCH_BASELINE_ITERATIONS', 400),
          runs: numberEnv('BENCH_RUNS', 3),
          freePort,
          logDir: outDir,
        },
        log,
      );
    }
    // One load for both issuance rows, JWT VC and SD-JWT VC.
    const issuanceOptions = {
      credentials: numberEnv('BENCH_CREDENTIALS', 3000),
      // A run's worth before the runs: a fresh service spent up to 1.6× the CPU per credential of its steady state in its first run.
      warmup: numberEnv('BENCH_WARMUP', 3000),
      concurrency: numberEnv('BENCH_CONCURRENCY', 8),
      baselineCredentials: numberEnv('BENCH_BASELINE_CREDENTIALS', 1000),
      runs: numberEnv('BENCH_RUNS', 3),
      spotChecks: 5,
      // The SD-JWT row's bulk job after each run: an agency's city-wide renewal, worked by every issuer process.
      bulkItems: numberEnv('BENCH_BULK_ITEMS', 5000),
      freePort,
      logDir: outDir,
    };
    if (only('issuance')) {
      issuance = await runIssuanceBench(
        provider,
        signer,
        chain.rpcUrl,
        issuanceOptions,
        log,
      );
    }
    // The same loads as the JWT rows above (one credential per presentation, four claims disclosed).
    if (only('sd-jwt') || only('sd-jwt-issuance')) {
      sdJwt.issuance = await runSdJwtIssuanceBench(
        provider,
        signer,
        chain.rpcUrl,
        issuanceOptions,
        log,
      );
    }
    if (only('sd-jwt') || only('sd-jwt-verification')) {
      sdJwt.verification = await runSdJwtVerificationBench(
        provider,
        signer,
        chain.rpcUrl,
        {
          presentations: numberEnv('BENCH_PRESENTATIONS', 3000),
          // A run's worth: a fresh service spent up to 1.9× the CPU per request of its steady state in its first run.
          warmup: numberEnv('BENCH_WARMUP', 3000),
          concurrency: numberEnv('BENCH_CONCURRENCY', 8),
          holders: 16,
          // The reference verifies faster than Veramo: more iterations for a run of comparable length.
          baselineIterations: numberEnv('BENCH_SD_JWT_BASELINE_ITERATIONS', 1000),
          runs: numberEnv('BENCH_RUNS', 3),
          freePort,
          logDir: outDir,
        },
        log,
      );
    }
  } finally {
    provider.destroy();
    await chain.stop();
    const sdJwtMeasured = sdJwt.issuance !== undefined || sdJwt.verification !== undefined;
    if (issuance || verification || mirror || sdJwtMeasured) {
      const throughput = {
        es256kLibrary: nativeSecp256k1 ? 'libsecp256k1' : 'elliptic',
        ...(issuance
          ? {
              issuance: {
                perSecond: issuance.perSecond,
                baselinePerSecond: issuance.baselinePerSecond,
                ratio: issuance.ratio,
                p50Ms: issuance.p50Ms,
                p99Ms: issuance.p99Ms,
                rssMb: issuance.issuerRssMb,
                peakRssMb: issuance.issuerPeakRssMb,
                cpuMsPerCredential: issuance.issuerCpuMsPerCredential,
                spread: issuance.spread,
              },
            }
          : {}),
        ...(verification
          ? {
              verification: {
                perSecond: verification.perSecond,
                baselinePerSecond: verification.baselinePerSecond,
                ratio: verification.ratio,
                p50Ms: verification.p50Ms,
                p99Ms: verification.p99Ms,
                cpuPerVerificationOverBareSignatures: verification.cpuPerVerificationOverBareSignatures,
                cpuMsPerVerification: verification.verifierCpuMsPerVerification,
                bareSignatureMsPerPresentation: verification.bareSignatureMsPerPresentation,
                cpuPerVerificationOverNodeCryptoSignatures: verification.cpuPerVerificationOverNodeCryptoSignatures,
                bareNodeCryptoSignatureMsPerPresentation: verification.bareNodeCryptoSignatureMsPerPresentation,
                floor: verification.floor,
                workers: verification.workers,
                rssMb: verification.verifierRssMb,
                rssByProcessMb: verification.verifierRssByProcessMb,
                spread: verification.spread,
              },
            }
          : {}),
        ...(mirror
          ? {
              mirror: {
                credentials: mirror.credentials,
                // The verifier service's whole resident memory with the 10 M-entry registry mirrored…
                rssMb: mirror.serviceRssMb ?? mirror.rssMb,
                // …of which the status mirror itself holds this much (in-process, after GC),
                retainedMb: mirror.retainedMb,
                // …beside the same service idle with a two-list registry (when measured in this run).
                ...(verification ? { idleServiceRssMb: verification.verifierIdleRssMb } : {}),
                coldSyncSeconds: mirror.serviceColdSyncSeconds ?? mirror.coldSyncSeconds,
                everyWorkerSeconds: mirror.serviceEveryWorkerSeconds,
                inProcessColdSyncSeconds: mirror.coldSyncSeconds,
                // Per process: each cluster worker holds its own mirrors; and the service as one process.
                rssByProcessMb: mirror.serviceRssByProcessMb,
                singleProcessRssMb: mirror.singleProcessRssMb,
                singleProcessColdSyncSeconds: mirror.singleProcessColdSyncSeconds,
              },
            }
          : {}),
        ...(sdJwtMeasured ? { sdJwt: sdJwtSummary(sdJwt) } : {}),
        details: { issuance, verification, mirror: mirror ? { ...mirror, deployment: undefined } : undefined, sdJwt: sdJwtMeasured ? sdJwt : undefined },
      };
      // A subset run (BENCH_ONLY) keeps the parts it did not measure from the previous file.
      const file = path.join(outDir, 'throughput.json');
      const previous = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<string, any>;
      const details = { ...previous.details, ...Object.fromEntries(Object.entries(throughput.details).filter(([, v]) => v !== undefined)) };
      const merged = {
        ...previous,
        ...throughput,
        // One SD-JWT row alone keeps the other row's figures.
        ...(sdJwtMeasured ? { sdJwt: { ...previous.sdJwt, ...throughput.sdJwt } } : {}),
        details: sdJwtMeasured ? { ...details, sdJwt: { ...previous.details?.sdJwt, ...sdJwt } } : details,
      };
      writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
      console.log('\n' + formatThroughputTable(issuance, verification, mirror, sdJwt) + '\n');
      log(`wrote ${file}`);
    }
  }
}

interface SdJwtFigures {
  issuance?: SdJwtIssuanceFigures;
  verification?: SdJwtVerificationFigures;
}

/** `throughput.json`'s `sdJwt`: per row, the median rate over HTTP, the reference's in the same run, and their ratio. */
function sdJwtSummary(sdJwt: SdJwtFigures) {
  const row = (r: {
    perSecond: number | null;
    baselinePerSecond: number;
    ratio: number | null;
    p50Ms?: number | null;
    p99Ms?: number | null;
    spread?: unknown;
    sameLibraryBaselinePerSecond?: number;
    sameLibraryRatio?: number;
    sameLibraryRatioSpread?: [number, number];
  }) => ({
    perSecond: r.perSecond,
    baselinePerSecond: r.baselinePerSecond,
    ratio: r.ratio,
    // The reference with the services' signature library (libsecp256k1) instead of noble/ethers.
    ...(r.sameLibraryBaselinePerSecond
      ? { sameLibraryBaselinePerSecond: r.sameLibraryBaselinePerSecond, sameLibraryRatio: r.sameLibraryRatio, sameLibraryRatioSpread: r.sameLibraryRatioSpread }
      : {}),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    ...(r.spread ? { spread: r.spread } : {}),
  });
  // Only the rows measured: the other one is kept from the previous file.
  return {
    ...(sdJwt.issuance
      ? {
          issuance: {
            ...row(sdJwt.issuance),
            rssMb: sdJwt.issuance.issuerRssMb,
            peakRssMb: sdJwt.issuance.issuerPeakRssMb,
            cpuMsPerCredential: sdJwt.issuance.issuerCpuMsPerCredential,
          },
        }
      : {}),
    ...(sdJwt.issuance?.bulk ? { bulk: bulkSummary(sdJwt.issuance) } : {}),
    ...(sdJwt.verification ? { verification: row(sdJwt.verification) } : {}),
  };
}

/** `sdJwt.bulk`: the bulk job's figures (its runs stay under `details`) beside the references' rates. */
function bulkSummary(issuance: SdJwtIssuanceFigures) {
  const { runs: _runs, ...bulk } = issuance.bulk!;
  return { ...bulk, baselinePerSecond: issuance.baselinePerSecond, sameLibraryBaselinePerSecond: issuance.sameLibraryBaselinePerSecond };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
