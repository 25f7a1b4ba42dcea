import type { IssuanceResultFigures } from './issuance.js';
import type { MirrorResult } from './mirror.js';
import type { SdJwtIssuanceFigures } from './sd-jwt-issuance.js';
import type { SdJwtVerificationFigures } from './sd-jwt-verification.js';
import type { VerificationResultFigures } from './verification.js';

/** `primary 40 MB, workers 150 / 152 MB` (one process: just its RSS). */
function perProcess(memory: { primaryMb: number; childrenMb: number[] } | undefined): string {
  if (!memory) return 'per process not measured';
  return memory.childrenMb.length ? `primary ${memory.primaryMb} MB, workers ${memory.childrenMb.join(' / ')} MB` : `one process ${memory.primaryMb} MB`;
}

/** The throughput table printed at the end of `npm run bench` (and copied into the README). */
export function formatThroughputTable(
  issuance: IssuanceResultFigures | undefined,
  verification: VerificationResultFigures | undefined,
  mirror: MirrorResult | undefined,
  sdJwt: { issuance?: SdJwtIssuanceFigures; verification?: SdJwtVerificationFigures } = {},
): string {
  // Baselines: Veramo 7 for the JWT VC rows, @sd-jwt/sd-jwt-vc 0.19 for the SD-JWT VC rows.
  const lines = ['| measure | govcred | baseline (same run) | ratio |', '|---|---|---|---|'];
  if (issuance) {
    const i = issuance;
    lines.push(
      `| issuance over HTTP, ${i.concurrency} clients (checks, random status index, signing, durable record + audit entry) | ${i.perSecond}/s (runs ${i.spread.perSecond.join('–')}) | ${i.baselinePerSecond}/s Veramo in-process (default agent, saved) | ${i.ratio}× (${i.spread.ratio.join('–')}) |`,
      `| latency p50 / p99 | ${i.p50Ms} / ${i.p99Ms} ms | ${i.baselineP50Ms} / ${i.baselineP99Ms} ms | |`,
      `| CPU time per credential | issuer ${i.issuerCpuMsPerCredential} ms | ${i.baselineCpuMsPerCredential} ms | |`,
      `| issuer RSS: idle / after the runs | ${i.issuerIdleRssMb} / ${i.issuerRssMb} MB (peak ${i.issuerPeakRssMb} MB) | | |`,
    );
  }
  if (sdJwt.issuance) {
    const i = sdJwt.issuance;
    lines.push(
      `| SD-JWT VC issuance over HTTP, ${i.concurrency} clients (same, every claim disclosable, derived claims, decoys) | ${i.perSecond}/s (runs ${i.spread.perSecond.join('–')}) | ${i.baselinePerSecond}/s @sd-jwt/sd-jwt-vc in-process (not saved; ES256K by noble) | ${i.ratio}× (${i.spread.ratio.join('–')}) |`,
      ...(i.sameLibraryBaselinePerSecond ? [`| the same reference signing with libsecp256k1, as the issuer | | ${i.sameLibraryBaselinePerSecond}/s | ${i.sameLibraryRatio}×${i.sameLibraryRatioSpread ? ` (${i.sameLibraryRatioSpread.join('–')})` : ''} |`] : []),
      `| latency p50 / p99 | ${i.p50Ms} / ${i.p99Ms} ms | ${i.baselineP50Ms} / ${i.baselineP99Ms} ms | |`,
      `| CPU time per credential | issuer ${i.issuerCpuMsPerCredential} ms | ${i.baselineCpuMsPerCredential} ms | |`,
      `| issuer RSS: idle / after the runs | ${i.issuerIdleRssMb} / ${i.issuerRssMb} MB (peak ${i.issuerPeakRssMb} MB) | | |`,
      ...(i.bulk
        ? [
            `| SD-JWT VC bulk issuance, one job of ${i.bulk.items} (POST until done, worked by every issuer process), issuer CPU ${i.bulk.cpuMsPerCredential} ms/credential | ${i.bulk.perSecond}/s (runs ${i.bulk.spread.join('–')}) | the same references | ${i.bulk.ratio}× (${i.bulk.ratioSpread.join('–')}); with libsecp256k1 ${i.bulk.sameLibraryRatio}× (${i.bulk.sameLibraryRatioSpread.join('–')}) |`,
          ]
        : []),
    );
  }
  if (verification) {
    const v = verification;
    lines.push(
      `| presentation verification over HTTP, ${v.concurrency} clients, ${v.workers} verifier worker(s) (1 VP + 1 VC, all checks) | ${v.perSecond}/s (runs ${v.spread.perSecond.join('–')}) | ${v.baselinePerSecond}/s Veramo in-process | ${v.ratio}× (${v.spread.ratio.join('–')}) |`,
      `| latency p50 / p99 | ${v.p50Ms} / ${v.p99Ms} ms | ${v.baselineP50Ms} / ${v.baselineP99Ms} ms | |`,
      `| CPU time per verification | verifier ${v.verifierCpuMsPerVerification} ms | ${v.baselineCpuMsPerVerification} ms | ${Math.round((v.baselineCpuMsPerVerification / v.verifierCpuMsPerVerification) * 100) / 100}× |`,
      `| verifier CPU per verification ÷ its bare signature checks (VP + VC, libsecp256k1 as the verifier, keys in hand) | ${v.verifierCpuMsPerVerification} ms ÷ ${v.bareSignatureMsPerPresentation} ms | | ${v.cpuPerVerificationOverBareSignatures}× (${v.spread.cpuPerVerificationOverBareSignatures.join('–')}) |`,
      `| the same ÷ the checks with node:crypto (OpenSSL) | ${v.verifierCpuMsPerVerification} ms ÷ ${v.bareNodeCryptoSignatureMsPerPresentation} ms | | ${v.cpuPerVerificationOverNodeCryptoSignatures}× |`,
      `| the floor: a bare HTTP server doing only HTTP, JSON, both signature checks and the single-use UPDATE, same presentations and workers | ${v.floor.perSecond}/s, ${v.floor.cpuMsPerVerification} ms CPU ÷ ${v.bareSignatureMsPerPresentation} ms bare checks | | ${v.floor.floorOverBareSignatures}× (${v.floor.spread.floorOverBareSignatures.join('–')}) |`,
      `| verifier CPU per verification ÷ the floor's | ${v.verifierCpuMsPerVerification} ms ÷ ${v.floor.cpuMsPerVerification} ms | | ${v.floor.verifierOverFloor}× (${v.floor.spread.verifierOverFloor.join('–')}) |`,
      `| chain RPC calls per verification | ${v.rpcCallsPerVerification} (${JSON.stringify(v.rpcCalls)}) | | |`,
      `| verifier RSS: idle / after the runs | ${v.verifierIdleRssMb} / ${v.verifierRssMb} MB (peak ${v.verifierPeakRssMb} MB; ${perProcess(v.verifierRssByProcessMb)}) | | |`,
    );
  }
  if (sdJwt.verification) {
    const v = sdJwt.verification;
    const http = v.perSecond === null ? `not measured (the verifier refused sdJwtPresentations: ${v.refusedWith})` : `${v.perSecond}/s`;
    lines.push(
      `| SD-JWT VC presentation verification over HTTP, ${v.concurrency} clients, ${v.workers} verifier worker(s) (1 credential, 4 disclosed claims, KB-JWT, all checks) | ${http}${v.spread ? ` (runs ${v.spread.perSecond.join('–')})` : ''} | ${v.baselinePerSecond}/s @sd-jwt/sd-jwt-vc in-process (KB, no status; issuer key recovered by ethers) | ${v.ratio ?? '–'}×${v.spread ? ` (${v.spread.ratio.join('–')})` : ''} |`,
      ...(v.sameLibraryBaselinePerSecond ? [`| the same reference checking with libsecp256k1, as the verifier | | ${v.sameLibraryBaselinePerSecond}/s | ${v.sameLibraryRatio}×${v.sameLibraryRatioSpread ? ` (${v.sameLibraryRatioSpread.join('–')})` : ''} |`] : []),
    );
    if (v.perSecond !== null) {
      lines.push(
        `| latency p50 / p99 | ${v.p50Ms} / ${v.p99Ms} ms | ${v.baselineP50Ms} / ${v.baselineP99Ms} ms | |`,
        `| CPU time per verification | verifier ${v.verifierCpuMsPerVerification} ms | ${v.baselineCpuMsPerVerification} ms | |`,
        `| chain RPC calls per verification | ${v.rpcCallsPerVerification} (${JSON.stringify(v.rpcCalls)}) | | |`,
        `| verifier RSS: idle / after the runs | ${v.verifierIdleRssMb} / ${v.verifierRssMb} MB (peak ${v.verifierPeakRssMb} MB; ${perProcess(v.verifierRssByProcessMb)}) | | |`,
      );
    }
  }
  if (mirror) {
    const service =
      mirror.serviceRssMb !== undefined
        ? `; verifier service ${mirror.serviceRssMb} MB RSS (${perProcess(mirror.serviceRssByProcessMb)}), answering ${mirror.serviceColdSyncSeconds} s after start, every worker after ${mirror.serviceEveryWorkerSeconds} s; ` +
          `as one process ${mirror.singleProcessRssMb} MB RSS, answering after ${mirror.singleProcessColdSyncSeconds} s`
        : '';
    lines.push(
      `| status mirror, ${mirror.credentials.toLocaleString('en')} credentials | cold sync ${mirror.coldSyncSeconds} s, ${mirror.retainedMb} MB retained${service} | | |`,
    );
  }
  return lines.join('\n');
}
