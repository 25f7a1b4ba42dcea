/**
 * The verifier on two worker processes sharing one port and one SQLite file (VERIFIER_CLUSTER_WORKERS=2), as
 * `node main.js` runs it: single use holds across workers (challenges, request objects, responses), a result
 * reaches a server-sent-events stream whichever worker holds it, a killed worker is replaced, and SIGTERM stops
 * them all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { VerifierRegistryClient, ethrDid, schemaReference } from '../../libs/credentials/src/index.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { alive, answeringPids, request, startClustered, type ClusteredService } from '../support/clustered-service.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { OutsideWallet } from '../support/outside-wallet.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, verifierEnvFor, withKey } from '../support/verifier.js';

const DAY = 86_400;
const DEGREE_QUERY = {
  credentials: [{ id: 'diploma', format: 'jwt_vc_json', meta: { type_values: [['EducationCredential']] }, claims: [{ path: ['credentialSubject', 'degree'] }] }],
};

let f: Fixture;
let service: ClusteredService;
let dir: string;
let uni: TestAgency;
let apiKey: string;
let wallet: OutsideWallet;
const holder = new TestHolder();
const employerKey = Wallet.createRandom();

/** Two workers on the SQLite file at `sqlitePath`. */
const clusterEnv = (sqlitePath: string): Record<string, string> => ({
  ...verifierEnvFor(f, sqlitePath),
  VERIFIER_CLUSTER_WORKERS: '2',
  VERIFIER_KEY_SECRET: 'cd'.repeat(32),
});

const diploma = async () =>
  (await uni.issue({ type: 'EducationCredential', holder: holder.did, claims: SAMPLE_CLAIMS.EducationCredential, schema: schemaReference('EducationCredential') })).jwt;

beforeAll(async () => {
  f = await deployFixture();
  uni = await TestAgency.create(f, [{ type: 'EducationCredential', validFrom: nowSeconds() - 30 * DAY }]);
  await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(employerKey.address, EMPLOYER_SCOPE);
  dir = mkdtempSync(path.join(tmpdir(), 'govcred-verifier-cluster-'));
  service = await startClustered('verifier', clusterEnv(path.join(dir, 'verifier.sqlite')), '/health');
  const account = await request(
    'POST',
    `${service.url}/admin/verifiers`,
    { name: 'Employer', did: ethrDid(f.chainId, employerKey.address), signingKey: employerKey.privateKey },
    { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` },
  );
  expect(account.status).toBe(201);
  apiKey = account.body.apiKey;
  wallet = new OutsideWallet(f);
});

afterAll(async () => {
  if (service && service.primary.exitCode === null) service.primary.kill('SIGKILL');
  f?.provider.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('two workers answer on one port', async () => {
  const workers = service.workerPids();
  expect(workers).toHaveLength(2);
  expect([...(await answeringPids(service.url))].sort()).toEqual([...workers].sort());
});

test('a challenge is used once, whichever worker each of eight concurrent presentations reaches', async () => {
  const jwt = await diploma();
  for (let round = 0; round < 3; round++) {
    const challenge = await request('POST', `${service.url}/challenges`, {}, withKey(apiKey));
    expect(challenge.status).toBe(201);
    const vp = await holder.present([jwt], challenge.body.challenge, challenge.body.domain);
    const body = { verifiablePresentation: vp, options: { challenge: challenge.body.challenge, domain: challenge.body.domain } };
    const replies = await Promise.all(Array.from({ length: 8 }, () => request('POST', `${service.url}/presentations/verify`, body, withKey(apiKey))));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(replies.filter((r) => r.body.verified)).toHaveLength(1);
    for (const r of replies.filter((x) => !x.body.verified)) expect(r.body.problems.map((p: { code: string }) => p.code)).toEqual(['challenge_replayed']);
  }
});

test('an OpenID4VP request object is handed out once, and a response accepted once, across workers', async () => {
  const created = await request('POST', `${service.url}/oid4vp/requests`, { dcql_query: DEGREE_QUERY }, withKey(apiKey));
  expect(created.status).toBe(201);
  const objectUrl = `${service.url}/oid4vp/requests/${created.body.id}/request-object`;
  const fetches = await Promise.all(Array.from({ length: 6 }, () => request('GET', objectUrl)));
  expect(fetches.filter((r) => r.status === 200)).toHaveLength(1);
  for (const r of fetches.filter((x) => x.status !== 200)) expect([r.status, r.body.code]).toEqual([409, 'request_uri_used']);

  // A wallet that got the request (another request: that object is gone) answers it six times at once.
  const second = await request('POST', `${service.url}/oid4vp/requests`, { dcql_query: DEGREE_QUERY }, withKey(apiKey));
  const resolved = await wallet.resolve(second.body.authorizationRequestUri);
  const vp = await holder.present([await diploma()], resolved.nonce, resolved.clientId);
  const answers = await Promise.all(Array.from({ length: 6 }, () => wallet.respond(resolved, { diploma: [vp] })));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  for (const a of answers.filter((x) => x.status !== 200)) expect([a.status, a.body.code]).toEqual([409, 'response_replayed']);
  const result = await request('GET', `${service.url}/oid4vp/requests/${second.body.id}`, undefined, withKey(apiKey));
  expect(result.body.status).toBe('verified');
});

/** Opens the request's event stream on a connection of its own; `text()` is what arrived so far. */
function openStream(url: string): Promise<{ text: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    void import('node:http').then(({ default: http }) => {
      const req = http.get(url, { agent: false, headers: withKey(apiKey) }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        const ended = new Promise<void>((done) => res.on('end', () => done()));
        resolve({ text: () => text, ended });
      });
      req.on('error', reject);
    });
  });
}

test('server-sent events report the result whichever worker holds the stream', async () => {
  const created = await request('POST', `${service.url}/oid4vp/requests`, { dcql_query: DEGREE_QUERY }, withKey(apiKey));
  const events = `${service.url}/oid4vp/requests/${created.body.id}/events`;
  // Consecutive connections go to the workers in turn: one stream on each, whichever worker takes the response.
  const streams = [await openStream(events), await openStream(events)];
  const resolved = await wallet.resolve(created.body.authorizationRequestUri);
  const vp = await holder.present([await diploma()], resolved.nonce, resolved.clientId);
  expect((await wallet.respond(resolved, { diploma: [vp] })).status).toBe(200);
  await Promise.all(streams.map((s) => s.ended));
  for (const s of streams) {
    expect(s.text()).toContain('"status":"pending"');
    expect(s.text()).toContain('"status":"verified"');
  }
});

test('a killed worker is replaced, and the service answers meanwhile', async () => {
  const [victim, survivor] = service.workerPids();
  process.kill(victim, 'SIGKILL');
  const deadline = Date.now() + 60_000;
  // A connection the primary hands to a worker in the instant it dies is lost with it (node:cluster): probe once
  // the primary saw the exit.
  const exitLine = new RegExp(`worker ${victim} exited \\(SIGKILL\\); starting another`);
  while (!exitLine.test(service.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  let replaced: number[] = [];
  while (Date.now() < deadline) {
    // The other worker answers all along.
    expect((await request('GET', `${service.url}/health`)).status).toBe(200);
    replaced = service.workerPids();
    if (replaced.length === 2 && !replaced.includes(victim)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(replaced).toContain(survivor);
  expect(replaced).toHaveLength(2);
  expect(replaced).not.toContain(victim);
  // The new worker serves once its mirrors synced.
  const newcomer = replaced.find((p) => p !== survivor)!;
  while (Date.now() < deadline && !(await answeringPids(service.url, 4)).has(newcomer)) await new Promise((r) => setTimeout(r, 200));
  expect(await answeringPids(service.url, 6)).toEqual(new Set([survivor, newcomer]));
  expect(service.output()).toMatch(exitLine);
}, 120_000);

test('SIGTERM stops every worker, then the primary exits 0', async () => {
  const workers = service.workerPids();
  expect(await service.stop()).toBe(0);
  for (const pid of workers) expect(alive(pid)).toBe(false);
});

test('a first worker that cannot prepare the database stops the service, and no other worker starts', async () => {
  // A SQLite path under a regular file: the first worker's migrations fail before it listens.
  const notADirectory = path.join(dir, 'not-a-directory');
  writeFileSync(notADirectory, '');
  const started = startClustered('verifier', clusterEnv(path.join(notADirectory, 'verifier.sqlite')), '/health');
  const error = await started.then(() => undefined, (e: unknown) => e as Error);
  expect(error?.message).toMatch(/exited during start-up/);
  expect(error?.message).toMatch(/a worker failed to start \(1\); stopping/);
  // Only the first worker ever started: one failure line, and no "workers listening".
  expect(error?.message.match(/failed to start:/g)).toHaveLength(1);
  expect(error?.message).not.toMatch(/listening on/);
}, 60_000);
