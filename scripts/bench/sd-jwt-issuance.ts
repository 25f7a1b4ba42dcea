/**
 * SD-JWT VC issuance over HTTP against the issuer service, beside the `@sd-jwt/sd-jwt-vc` 0.19 reference issuing
 * in-process on the same machine in the same run.
 *
 * The issuer runs as a child process on its own SQLite file, as in the JWT row (issuance.ts). The timed section
 * is `POST /credentials/issue` with `options: {format: 'dc+sd-jwt', holderJwk}` by concurrent clients: schema
 * checks, derived claims, a random unique status index, every claim made disclosable with decoys, signing in the
 * KMS, the credential record and its audit entry committed before the answer. Every answer must be 201 with an
 * SD-JWT; a sample is verified with `verifySdJwtVc` against the agency key read from the chain.
 *
 * The baseline is `SDJwtVcInstance.issue` (see {@link referenceIssuer}): the same claims, payload and disclosure
 * frame, the same ES256K signer, sha-256 from `@sd-jwt/crypto-nodejs`, the same concurrency model as the Veramo
 * baseline (in-process loops). It keeps nothing: the library has no store.
 */
import { randomBytes } from 'node:crypto';
import type { JsonRpcProvider, Signer } from 'ethers';
import { SigningKey, Wallet } from 'ethers';
import { createDidResolver, statusEntries, verifySdJwtVc, type IssuerKey } from '../../libs/credentials/src/index.js';
import { deployRegistries } from '../lib/deploy.js';
import { SAMPLE_CLAIMS } from '../lib/sample-claims.js';
import { fundedWallet, issuanceFigures, startIssuerProcess, type IssuanceBenchOptions, type IssuanceResultFigures, type IssuanceRunFigures } from './issuance.js';
import { closeConnections, postJson, sendJson, throughput, timed, timedInProcess } from './load.js';
import { SD_JWT_TYPE, holderKey, referenceIssuer, type HolderKey } from './sd-jwt-fixtures.js';
import { median, processCpuMs, ratioTo, round, sameLibraryFigures, spread, treeMemoryMb } from './stats.js';

const CLAIMS = SAMPLE_CLAIMS[SD_JWT_TYPE];
const HOLDERS = 16;

const issueBody = (holder: HolderKey) => ({
  credential: { type: ['VerifiableCredential', SD_JWT_TYPE], credentialSubject: { ...CLAIMS } },
  options: { format: 'dc+sd-jwt', holderJwk: holder.jwk },
});

/** The agency's signing key as a verifier finds it: the `kid` method of its did:ethr, from the chain. */
async function agencyIssuerKey(resolver: ReturnType<typeof createDidResolver>, did: string, kid: string): Promise<IssuerKey> {
  const { didDocument } = await resolver.resolve(did);
  const method = didDocument?.verificationMethod?.find((m) => m.id === kid);
  // A signing key is an ERC-1056 attribute: a public key (an owner key would be an address).
  if (method?.publicKeyHex) {
    const point = Buffer.from(SigningKey.computePublicKey(`0x${method.publicKeyHex}`, false).slice(4), 'hex');
    return { jwk: { kty: 'EC', crv: 'secp256k1', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') } };
  }
  const address = method?.blockchainAccountId?.split(':').pop();
  if (!address) throw new Error(`no key ${kid} in the agency DID document`);
  return { ethereumAddress: address };
}

/** One bulk job: its size, how long from its POST until it was done, and the issuer's CPU per credential. */
export interface BulkRunFigures {
  perSecond: number;
  seconds: number;
  cpuMsPerCredential: number;
}

/**
 * The bulk row: per run, one job of `items` SD-JWT VCs through `POST /credentials/issue/bulk`, timed from the POST
 * until `GET …/bulk/{id}` says done (polled every 20 ms), against the reference runs beside it.
 */
export interface BulkIssuanceFigures {
  items: number;
  perSecond: number;
  spread: [number, number];
  cpuMsPerCredential: number;
  ratio: number;
  ratioSpread: [number, number];
  sameLibraryRatio: number;
  sameLibraryRatioSpread: [number, number];
  runs: BulkRunFigures[];
}

export type SdJwtIssuanceFigures = IssuanceResultFigures & { bulk?: BulkIssuanceFigures };

async function runBaseline(issue: ReturnType<typeof referenceIssuer>, holders: HolderKey[], statusOf: (i: number) => ReturnType<typeof statusEntries>, count: number, concurrency: number): Promise<IssuanceRunFigures> {
  const { cpuMsPerJob, ...figures } = await timedInProcess(
    count,
    concurrency,
    async (i) => (await issue(holders[i % holders.length].jwk, statusOf(i))).endsWith('~'),
    'sd-jwt baseline: credentials that are SD-JWTs',
  );
  return { ...figures, cpuMsPerCredential: cpuMsPerJob };
}

export async function runSdJwtIssuanceBench(
  provider: JsonRpcProvider,
  deployer: Signer,
  rpcUrl: string,
  options: IssuanceBenchOptions,
  log: (line: string) => void,
): Promise<SdJwtIssuanceFigures> {
  const governance = await fundedWallet(provider);
  const funder = await fundedWallet(provider);
  const deployment = await deployRegistries(deployer, governance.address);
  const adminToken = randomBytes(24).toString('base64url');
  log('sd-jwt issuance: starting the issuer service …');
  const issuer = await startIssuerProcess(rpcUrl, deployment, governance, funder, adminToken, options, 'bench-issuer-sd-jwt');
  const resolver = createDidResolver({ chainId: 31337, rpcUrl, didRegistry: deployment.didRegistry });
  try {
    const created = await postJson(`${issuer.url}/admin/agencies`, { nameZh: '基准机构', nameEn: 'Bench agency', credentialTypes: [SD_JWT_TYPE], ownerAddress: Wallet.createRandom().address }, { authorization: `Bearer ${adminToken}` });
    if (created.status !== 201) throw new Error(`agency creation failed: ${created.status} ${created.body}`);
    const { apiKey, did: agencyDid, signingKeyId } = JSON.parse(created.body) as { apiKey: string; did: string; signingKeyId: string };
    const headers = { 'x-api-key': apiKey };
    const resolveIssuerKey = async () => agencyIssuerKey(resolver, agencyDid, signingKeyId);
    const idle = await treeMemoryMb(issuer.process.pid!);
    const holders = Array.from({ length: HOLDERS }, holderKey);

    // Bodies are serialised before each timed section (as the verification rows do): the clients spend CPU on HTTP only.
    let issued = 0;
    const bodies = (count: number) =>
      Array.from({ length: count }, () => {
        const holder = holders[issued++ % holders.length];
        return { holder, body: Buffer.from(JSON.stringify(issueBody(holder))) };
      });
    const issueOne = async (request: { holder: HolderKey; body: Buffer }, out?: Array<{ sdJwt: string; holder: HolderKey }>) => {
      const reply = await postJson(`${issuer.url}/credentials/issue`, request.body, headers);
      if (reply.status !== 201) throw new Error(`sd-jwt issuance answered ${reply.status}: ${reply.body}`);
      const body = JSON.parse(reply.body) as { verifiableCredential?: unknown; format?: string };
      if (body.format !== 'dc+sd-jwt' || typeof body.verifiableCredential !== 'string' || !body.verifiableCredential.endsWith('~')) {
        throw new Error(`sd-jwt issuance answered without an SD-JWT: ${reply.body.slice(0, 400)}`);
      }
      out?.push({ sdJwt: body.verifiableCredential, holder: request.holder });
    };
    const warmup = bodies(options.warmup);
    await timed(options.warmup, options.concurrency, (i) => issueOne(warmup[i]));

    // One bulk job, as an agency renewing a city's cards sends it: timed from the POST until the job is done;
    // every item must be issued; `spotChecks` results verified, then the job's results deleted (as the agency
    // does once it has them).
    const bulkJob = async (items: number): Promise<BulkRunFigures> => {
      const body = Buffer.from(JSON.stringify({ items: bodies(items).map(({ holder }) => issueBody(holder)) }));
      const cpuBefore = await processCpuMs(issuer.process.pid!);
      const started = performance.now();
      const submitted = await postJson(`${issuer.url}/credentials/issue/bulk`, body, headers);
      if (submitted.status !== 202) throw new Error(`bulk issuance answered ${submitted.status}: ${submitted.body.slice(0, 400)}`);
      const jobUrl = `${issuer.url}/credentials/issue/bulk/${(JSON.parse(submitted.body) as { id: string }).id}`;
      let job: { state: string; succeeded: number; failed: number };
      // A stalled worker fails the bench instead of holding it: far beyond any job's time here (~5 s).
      const deadline = Date.now() + 600_000;
      for (;;) {
        job = JSON.parse((await sendJson('GET', jobUrl, undefined, headers)).body) as typeof job;
        if (job.state === 'done') break;
        if (Date.now() > deadline) throw new Error(`bulk job not done after 10 minutes: ${JSON.stringify(job)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const seconds = (performance.now() - started) / 1000;
      const cpuMs = (await processCpuMs(issuer.process.pid!)) - cpuBefore;
      if (job.succeeded !== items) throw new Error(`bulk job: ${job.succeeded} of ${items} issued, ${job.failed} failed`);
      for (let k = 0; k < options.spotChecks; k++) {
        const page = JSON.parse((await sendJson('GET', `${jobUrl}/results?offset=${Math.floor(Math.random() * items)}&limit=1`, undefined, headers)).body) as {
          items: Array<{ verifiableCredential: string }>;
        };
        const checked = await verifySdJwtVc(page.items[0].verifiableCredential, { resolveIssuerKey, now: new Date(), requireKeyBinding: false });
        if (!checked.ok || checked.view?.issuer !== agencyDid || checked.view.claims.name !== CLAIMS.name) {
          throw new Error(`a spot-checked bulk SD-JWT VC does not verify: ${JSON.stringify(checked.problems)}`);
        }
      }
      const purged = await sendJson('DELETE', `${jobUrl}/results`, undefined, headers);
      if (purged.status !== 200) throw new Error(`bulk results not deleted: ${purged.status} ${purged.body.slice(0, 200)}`);
      return { perSecond: Math.round(items / seconds), seconds: round(seconds, 2), cpuMsPerCredential: round(cpuMs / items, 3) };
    };
    const bulkItems = options.bulkItems ?? 0;
    if (bulkItems > 0) await bulkJob(Math.min(bulkItems, 2000)); // warm-up: the bulk worker's own path
    const bulkRuns: BulkRunFigures[] = [];

    // The baseline signs as an agency of the same chain would: a did:ethr of its own, status entries of its lists.
    const baselineAgency = Wallet.createRandom();
    const baselineDid = `did:ethr:0x7a69:${baselineAgency.address}`;
    const reference = { issuerDid: baselineDid, kid: `${baselineDid}#controller`, privateKeyHex: baselineAgency.privateKey, claims: CLAIMS };
    const issue = referenceIssuer(reference);
    // The same reference signing with the services' signature library: how much of the ratio the library makes.
    const issueSameLibrary = referenceIssuer({ ...reference, library: 'libsecp256k1' });
    const statusOf = (i: number) =>
      statusEntries({ chainId: 31337, statusRegistry: deployment.statusRegistry, owner: baselineAgency.address, revocationListId: 1n, suspensionListId: 2n, index: i % 131_072 });
    await runBaseline(issue, holders, statusOf, Math.min(100, options.baselineCredentials), options.concurrency); // warm-up
    await runBaseline(issueSameLibrary, holders, statusOf, Math.min(100, options.baselineCredentials), options.concurrency);
    const sameLibraryRuns: IssuanceRunFigures[] = [];

    const runs: IssuanceRunFigures[] = [];
    const baselineRuns: IssuanceRunFigures[] = [];
    let spotChecked = 0;
    for (let r = 0; r < options.runs; r++) {
      const answers: Array<{ sdJwt: string; holder: HolderKey }> = [];
      const work = bodies(options.credentials);
      const cpuBefore = await processCpuMs(issuer.process.pid!);
      const run = await timed(options.credentials, options.concurrency, (i) => issueOne(work[i], answers));
      const cpuMs = (await processCpuMs(issuer.process.pid!)) - cpuBefore;
      runs.push({ ...throughput(options.credentials, run), cpuMsPerCredential: round(cpuMs / options.credentials, 3) });
      // Spot checks (untimed): the agency's signature from chain, disclosures, its claims, bound to the key asked for.
      for (let k = 0; k < options.spotChecks; k++) {
        const { sdJwt, holder } = answers[Math.floor(Math.random() * answers.length)];
        const checked = await verifySdJwtVc(sdJwt, { resolveIssuerKey, now: new Date(), requireKeyBinding: false });
        const view = checked.view;
        if (!checked.ok || view?.issuer !== agencyDid || view.claims.name !== CLAIMS.name || view.holderKey.x !== holder.jwk.x) {
          throw new Error(`a spot-checked SD-JWT VC does not match its request: ${JSON.stringify(checked.problems)}`);
        }
        spotChecked++;
      }
      baselineRuns.push(await runBaseline(issue, holders, statusOf, options.baselineCredentials, options.concurrency));
      sameLibraryRuns.push(await runBaseline(issueSameLibrary, holders, statusOf, options.baselineCredentials, options.concurrency));
      if (bulkItems > 0) {
        bulkRuns.push(await bulkJob(bulkItems));
        log(`sd-jwt bulk run ${r + 1}/${options.runs}: a job of ${bulkItems} in ${bulkRuns[r].seconds} s, ${bulkRuns[r].perSecond}/s, issuer CPU ${bulkRuns[r].cpuMsPerCredential} ms/credential`);
      }
      log(
        `sd-jwt issuance run ${r + 1}/${options.runs}: HTTP ${runs[r].perSecond}/s (p50 ${runs[r].p50Ms} ms, p99 ${runs[r].p99Ms} ms, ` +
          `issuer CPU ${runs[r].cpuMsPerCredential} ms/credential); @sd-jwt/sd-jwt-vc in-process ${baselineRuns[r].perSecond}/s ` +
          `(p50 ${baselineRuns[r].p50Ms} ms, CPU ${baselineRuns[r].cpuMsPerCredential} ms/credential; signing with libsecp256k1 ` +
          `${sameLibraryRuns[r].perSecond}/s, CPU ${sameLibraryRuns[r].cpuMsPerCredential} ms/credential)`,
      );
    }
    const memory = await treeMemoryMb(issuer.process.pid!);
    const bulk = ((): BulkIssuanceFigures | undefined => {
      if (bulkRuns.length === 0) return undefined;
      const reference = ratioTo(bulkRuns, baselineRuns);
      const sameLibrary = ratioTo(bulkRuns, sameLibraryRuns);
      return {
        items: bulkItems,
        perSecond: median(bulkRuns.map((r) => r.perSecond)),
        spread: spread(bulkRuns.map((r) => r.perSecond)),
        cpuMsPerCredential: median(bulkRuns.map((r) => r.cpuMsPerCredential)),
        ratio: reference.ratio,
        ratioSpread: reference.ratioSpread,
        sameLibraryRatio: sameLibrary.ratio,
        sameLibraryRatioSpread: sameLibrary.ratioSpread,
        runs: bulkRuns,
      };
    })();
    return { ...issuanceFigures(runs, baselineRuns, options, idle, memory, spotChecked), ...sameLibraryFigures(runs, sameLibraryRuns), ...(bulk ? { bulk } : {}) };
  } finally {
    await issuer.stop();
    closeConnections();
  }
}
