/**
 * SD-JWT VC presentation verification over HTTP against the verifier service, beside the `@sd-jwt/sd-jwt-vc`
 * 0.19 reference verifying in-process in the same run.
 *
 * As the JWT row (verification.ts): the verifier is a child process, its chain calls counted by a JSON-RPC proxy;
 * 16 holders (P-256 keys) hold one national ID SD-JWT VC each, signed ES256K by an accredited agency. Before the
 * timed section, each presentation gets its own challenge (`POST /challenges`; the query of `options` asks for
 * the four claims) and the holder's answer: the four disclosures and a Key Binding JWT with `nonce` = challenge and `aud` =
 * domain. The timed section is only `POST /presentations/verify` with `{sdJwtPresentations: [p], options:
 * {challenge, domain, query}}` from concurrent clients: issuer signature with the key in force at issuance, disclosures,
 * key binding, validity, schema, status from the mirror, accreditation, the request's claims, single use.
 *
 * The baseline is `SDJwtVcInstance.verify()` on the same kind of presentation (see {@link referenceVerifier}):
 * key binding required, no status check (asserted: its status list fetcher is never called).
 */
import { randomInt } from 'node:crypto';
import type { JsonRpcProvider, Signer } from 'ethers';
import { issueSdJwtVc, presentSdJwtVc, statusEntries } from '../../libs/credentials/src/index.js';
import { deployRegistries } from '../lib/deploy.js';
import { SAMPLE_CLAIMS } from '../lib/sample-claims.js';
import { REVOCATION_LIST, SUSPENSION_LIST, createAgency, type BenchAgency } from './fixtures.js';
import { closeConnections, postJson, throughput, timed, timedInProcess } from './load.js';
import { startRpcCounter } from './rpc-counter.js';
import { DISCLOSED_CLAIMS, SD_JWT_TYPE, agencySigner, holderKey, referenceVerifier, type HolderKey } from './sd-jwt-fixtures.js';
import { median, memoryByProcessMb, processCpuMs, round, sameLibraryFigures, spread, treeMemoryMb } from './stats.js';
import {
  DOMAIN,
  createBenchVerifierAccount,
  startVerifierProcess,
  type RunFigures,
  type VerificationBenchOptions,
  type VerificationResultFigures,
} from './verification.js';

export interface SdJwtVerificationFigures
  extends Omit<VerificationResultFigures, 'perSecond' | 'ratio' | 'bareSignatureMsPerPresentation' | 'bareNodeCryptoSignatureMsPerPresentation' | 'cpuPerVerificationOverBareSignatures' | 'cpuPerVerificationOverNodeCryptoSignatures' | 'spread' | 'floor'> {
  /** Smallest and largest of the runs behind each median. */
  spread: { perSecond: [number, number]; ratio: [number, number] } | null;
  /** `null` when the verifier did not accept `sdJwtPresentations` (then only the baseline was measured). */
  perSecond: number | null;
  ratio: number | null;
  /** The verifier's answer to the first presentation when it refused the request shape. */
  refusedWith?: string;
  /** Calls of the baseline's status list fetcher over all runs: must be 0. */
  baselineStatusFetches: number;
  /** The reference checking the issuer signature with the verifier's library (libsecp256k1), and the ratio to it. */
  sameLibraryBaselinePerSecond?: number;
  sameLibraryRatio?: number;
  sameLibraryRatioSpread?: [number, number];
}

interface Held {
  holder: HolderKey;
  sdJwt: string;
}

/** One SD-JWT VC per holder, issued as the issuer service issues (the library's issueSdJwtVc), signed by the agency. */
function issueCredentials(agency: BenchAgency, statusRegistry: string, holders: HolderKey[]): Promise<Held[]> {
  const signer = agencySigner(agency.wallet.privateKey);
  return Promise.all(
    holders.map(async (holder) => ({
      holder,
      sdJwt: await issueSdJwtVc({
        type: SD_JWT_TYPE,
        claims: SAMPLE_CLAIMS[SD_JWT_TYPE],
        issuerDid: agency.did,
        kid: `${agency.did}#controller`,
        signer,
        holderJwk: holder.jwk,
        statusEntries: statusEntries({
          chainId: 31337,
          statusRegistry,
          owner: agency.wallet.address,
          revocationListId: REVOCATION_LIST,
          suspensionListId: SUSPENSION_LIST,
          index: randomInt(0, 2 ** 17),
        }),
        now: new Date(Date.now() - 60_000),
      }),
    })),
  );
}

/** The holder's answer: the four disclosures and a KB-JWT for `nonce` and the domain, made now. */
const present = (held: Held, nonce: string) =>
  presentSdJwtVc(held.sdJwt, { claimPaths: DISCLOSED_CLAIMS.map((c) => [c]), nonce, audience: DOMAIN, holderSigner: held.holder.sign, holderAlg: 'ES256', now: new Date() });

/** Presentation requests (one challenge each, asking for the four claims) and the holders' answers, untimed. */
async function prepare(url: string, apiKey: string, count: number, held: Held[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await postJson(`${url}/challenges`, {}, { 'x-api-key': apiKey });
    if (reply.status !== 201) throw new Error(`challenge failed: ${reply.status} ${reply.body}`);
    const request = JSON.parse(reply.body) as { challenge: string; domain: string };
    if (request.domain !== DOMAIN) throw new Error(`the verifier's domain is ${request.domain}, not ${DOMAIN}`);
    const presentation = await present(held[i % held.length], request.challenge);
    const query = { credentials: [{ type: SD_JWT_TYPE, claims: [...DISCLOSED_CLAIMS] }] };
    out.push({ sdJwtPresentations: [presentation], options: { challenge: request.challenge, domain: request.domain, query } });
  }
  return out;
}

async function runBaseline(verifier: ReturnType<typeof referenceVerifier>, work: Array<{ presentation: string; nonce: string }>, concurrency: number): Promise<RunFigures> {
  const { cpuMsPerJob, ...figures } = await timedInProcess(
    work.length,
    concurrency,
    (i) => verifier.verify(work[i].presentation, work[i].nonce),
    'sd-jwt baseline: presentations that verify',
  );
  return { ...figures, cpuMsPerVerification: cpuMsPerJob };
}

export async function runSdJwtVerificationBench(
  provider: JsonRpcProvider,
  governance: Signer,
  rpcUrl: string,
  options: VerificationBenchOptions,
  log: (line: string) => void,
): Promise<SdJwtVerificationFigures> {
  const deployment = await deployRegistries(governance);
  const agency = await createAgency(provider, governance, deployment);
  const held = await issueCredentials(agency, deployment.statusRegistry, Array.from({ length: options.holders }, holderKey));
  const counter = await startRpcCounter(rpcUrl);
  const verifier = await startVerifierProcess(counter.url, deployment, options, 'bench-verifier-sd-jwt');
  log(`sd-jwt verification: verifier pid ${verifier.process.pid} at ${verifier.url}; ${held.length} holders, ${options.concurrency} clients`);
  const idle = await treeMemoryMb(verifier.process.pid!);
  const apiKey = await createBenchVerifierAccount(verifier.url);
  const reference = referenceVerifier(agency.wallet.address, DOMAIN);
  // The same reference checking the issuer signature as the verifier service does (libsecp256k1).
  const referenceSameLibrary = referenceVerifier(agency.wallet.address, DOMAIN, 'libsecp256k1');
  const sameLibraryRuns: RunFigures[] = [];
  const runs: RunFigures[] = [];
  const baselineRuns: RunFigures[] = [];
  const rpcCalls: Record<string, number> = {};
  let verified = 0;
  let refusedWith: string | undefined;
  try {
    // Does this verifier take SD-JWT VC presentations at all? A refusal of the shape leaves only the baseline.
    const [probe] = await prepare(verifier.url, apiKey, 1, held);
    const answer = await postJson(`${verifier.url}/presentations/verify`, probe);
    if (answer.status === 400) {
      refusedWith = `${answer.status} ${answer.body.slice(0, 300)}`;
      log(`sd-jwt verification: the verifier refuses sdJwtPresentations (${refusedWith}); measuring the baseline only`);
    } else if (answer.status !== 200 || !(JSON.parse(answer.body) as { verified: boolean }).verified) {
      throw new Error(`sd-jwt verification: an honest presentation was answered ${answer.status} ${answer.body.slice(0, 600)}`);
    }
    for (let r = 0; r < options.runs; r++) {
      if (!refusedWith) {
        // Warm-up by as many clients as the timed run: one client's keep-alive connection warms one worker only.
        const warm = await prepare(verifier.url, apiKey, options.warmup, held);
        await timed(warm.length, options.concurrency, async (i) => void (await postJson(`${verifier.url}/presentations/verify`, warm[i])));
        const work = (await prepare(verifier.url, apiKey, options.presentations, held)).map((body) => Buffer.from(JSON.stringify(body)));
        counter.reset();
        const verifierCpuBefore = await processCpuMs(verifier.process.pid!);
        const clientCpuBefore = process.cpuUsage();
        let failures = 0;
        const run = await timed(work.length, options.concurrency, async (i) => {
          const reply = await postJson(`${verifier.url}/presentations/verify`, work[i]);
          if (reply.status !== 200 || !(JSON.parse(reply.body) as { verified: boolean }).verified) {
            if (failures++ === 0) log(`sd-jwt verification: unexpected answer ${reply.status} ${reply.body.slice(0, 400)}`);
          }
        });
        const verifierCpu = (await processCpuMs(verifier.process.pid!)) - verifierCpuBefore;
        const clientCpu = process.cpuUsage(clientCpuBefore);
        for (const [method, n] of Object.entries(counter.counts())) rpcCalls[method] = (rpcCalls[method] ?? 0) + n;
        if (failures > 0) throw new Error(`sd-jwt verification: ${failures} honest presentations were not verified`);
        verified += work.length;
        runs.push({
          ...throughput(work.length, run),
          cpuMsPerVerification: round(verifierCpu / work.length, 3),
          clientCpuMsPerVerification: round((clientCpu.user + clientCpu.system) / 1000 / work.length, 3),
        });
      }

      // The baseline: the same kind of presentation, a fresh nonce each, same concurrency.
      const base = [];
      for (let i = 0; i < options.baselineIterations; i++) {
        const nonce = `baseline-${r}-${i}-${Math.random()}`;
        base.push({ presentation: await present(held[i % held.length], nonce), nonce });
      }
      if (r === 0) await runBaseline(reference, base.slice(0, 50), options.concurrency); // warm-up
      if (r === 0) await runBaseline(referenceSameLibrary, base.slice(0, 50), options.concurrency);
      baselineRuns.push(await runBaseline(reference, base, options.concurrency));
      sameLibraryRuns.push(await runBaseline(referenceSameLibrary, base, options.concurrency));
      // The pooled connections sat idle past the server's keep-alive timeout meanwhile: the next run opens new ones.
      closeConnections();
      const http = runs[r]
        ? `HTTP ${runs[r].perSecond}/s (p50 ${runs[r].p50Ms} ms, p99 ${runs[r].p99Ms} ms, verifier CPU ${runs[r].cpuMsPerVerification} ms/verification, ` +
          `clients ${runs[r].clientCpuMsPerVerification} ms)`
        : 'HTTP not measured';
      log(
        `sd-jwt verification run ${r + 1}/${options.runs}: ${http}; @sd-jwt/sd-jwt-vc in-process ${baselineRuns[r].perSecond}/s ` +
          `(CPU ${baselineRuns[r].cpuMsPerVerification} ms/verification; checking with libsecp256k1 ${sameLibraryRuns[r].perSecond}/s, ` +
          `CPU ${sameLibraryRuns[r].cpuMsPerVerification} ms/verification)`,
      );
    }
    if (reference.statusFetches() + referenceSameLibrary.statusFetches() !== 0) throw new Error(`sd-jwt baseline fetched a status list ${reference.statusFetches()} times`);
    const memory = await treeMemoryMb(verifier.process.pid!);
    const byProcess = await memoryByProcessMb(verifier.process.pid!);
    const perSecond = runs.length ? median(runs.map((r) => r.perSecond)) : null;
    const baselinePerSecond = median(baselineRuns.map((r) => r.perSecond));
    const totalRpc = Object.values(rpcCalls).reduce((a, b) => a + b, 0);
    return {
      perSecond,
      baselinePerSecond,
      ratio: perSecond === null ? null : round(perSecond / baselinePerSecond, 2),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      baselineP50Ms: median(baselineRuns.map((r) => r.p50Ms)),
      baselineP99Ms: median(baselineRuns.map((r) => r.p99Ms)),
      concurrency: options.concurrency,
      presentationsPerRun: options.presentations,
      runs,
      baselineRuns,
      rpcCalls,
      rpcCallsPerVerification: verified ? round(totalRpc / verified, 4) : NaN,
      verifierRssMb: memory.rssMb,
      verifierPeakRssMb: memory.peakMb,
      verifierIdleRssMb: idle.rssMb,
      verifierCpuMsPerVerification: median(runs.map((r) => r.cpuMsPerVerification!)),
      baselineCpuMsPerVerification: median(baselineRuns.map((r) => r.cpuMsPerVerification!)),
      baselineStatusFetches: reference.statusFetches(),
      workers: Math.max(1, byProcess.childrenMb.length),
      verifierRssByProcessMb: byProcess,
      spread: runs.length
        ? { perSecond: spread(runs.map((r) => r.perSecond)), ratio: spread(runs.map((r, i) => round(r.perSecond / baselineRuns[i].perSecond, 2))) }
        : null,
      ...(runs.length ? sameLibraryFigures(runs, sameLibraryRuns) : {}),
      ...(refusedWith ? { refusedWith } : {}),
    };
  } finally {
    await verifier.stop();
    await counter.close();
    closeConnections();
  }
}
