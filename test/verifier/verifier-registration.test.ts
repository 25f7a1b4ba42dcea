/**
 * Verifier accounts tied to a DID registered on the VerifierRegistry, over real HTTP and the real chain: an account
 * is created only for a DID in force on chain, and its presentation requests stay within the registration. Accounts
 * without a DID (the legacy mode) are not limited.
 */
import { Wallet } from 'ethers';
import { VerifierRegistryClient, ethrDid } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, createVerifierAccount, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';

const admin = { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` };
let f: Fixture;
let verifier: RunningVerifier;
let registry: VerifierRegistryClient;
/** The verifier's clock, set to the chain's before each question: registrations run on block time. */
let clockMs = Date.now();
let employer: { id: string; apiKey: string };
const employerKey = Wallet.createRandom();

async function toChainTime(): Promise<void> {
  const latest = await f.provider.getBlock('latest');
  clockMs = latest!.timestamp * 1000;
  await waitForMirrors(verifier, latest!.number);
}
const createAccount = (did: string) => post<{ id: string; apiKey: string; code?: string; details?: unknown }>(`${verifier.url}/admin/verifiers`, { name: 'Employer', did }, admin);
// A query is checked against the registration before anything else: a made-up challenge shows how far it got.
const ask = (apiKey: string, credentials: unknown[]) =>
  post<{ code?: string; details?: { refused: unknown[] }; problems?: Array<{ code: string }> }>(
    `${verifier.url}/presentations/verify`,
    { verifiablePresentation: 'a.b.c', options: { challenge: 'made-up', domain: 'bank.example', query: { credentials } } },
    withKey(apiKey),
  );
/** The query passed the registration check: the presentation was verified (and failed on its own). */
const accepted = (reply: Awaited<ReturnType<typeof ask>>) => [reply.status, reply.body.problems?.some((p) => p.code === 'challenge_unknown')];

beforeAll(async () => {
  f = await deployFixture();
  registry = new VerifierRegistryClient(f.verifierRegistry, f.governance);
  await registry.register(employerKey.address, EMPLOYER_SCOPE);
  verifier = await startTestVerifier(f, {}, { now: () => new Date(clockMs) });
  await toChainTime();
  const created = await createAccount(ethrDid(f.chainId, employerKey.address));
  expect(created.status).toBe(201);
  employer = created.body;
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

test('an account is created only for a DID registered and in force on chain', async () => {
  const stranger = Wallet.createRandom().address;
  const refused = await createAccount(ethrDid(f.chainId, stranger));
  expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, 'verifier_not_registered', { reason: 'not_registered' }]);

  // Registered moments ago (the mirror has not polled yet): the admin call syncs first.
  const fresh = Wallet.createRandom().address;
  await registry.register(fresh, EMPLOYER_SCOPE);
  clockMs = (await f.provider.getBlock('latest'))!.timestamp * 1000;
  expect((await createAccount(ethrDid(f.chainId, fresh))).status).toBe(201);

  await registry.withdraw(fresh);
  await toChainTime();
  const withdrawn = await createAccount(ethrDid(f.chainId, fresh));
  expect([withdrawn.status, withdrawn.body.code, withdrawn.body.details]).toEqual([400, 'verifier_not_registered', { reason: 'withdrawn' }]);
});

test('a query within the registration is accepted, sub-claims of a registered claim included', async () => {
  await toChainTime();
  const reply = await ask(employer.apiKey, [
    { type: 'EducationCredential', claims: ['degree', 'holderNameZh', 'graduationDate', 'institution.code'] },
    { type: 'NationalIdCredential', claims: ['age_over_18'] },
  ]);
  expect(accepted(reply)).toEqual([200, true]);
});

test.each<[string, unknown[], unknown[]]>([
  ['a claim not registered', [{ type: 'NationalIdCredential', claims: ['age_over_18', 'citizenIdNumber'] }], [{ type: 'NationalIdCredential', reason: 'claim_not_allowed', claims: [['citizenIdNumber']] }]],
  ['a whole credential (no claims listed)', [{ type: 'EducationCredential' }], [{ type: 'EducationCredential', reason: 'claim_not_allowed', claims: [[]] }]],
  ['a type not registered', [{ type: 'EducationCredential', claims: ['degree'] }, { type: 'PropertyCredential', claims: ['address'] }], [{ type: 'PropertyCredential', reason: 'type_not_allowed' }]],
  [
    'several at once',
    [{ type: 'EducationCredential', claims: ['degree', 'certificateNumber', 'fieldOfStudy'] }, { type: 'NationalIdCredential', claims: ['nameZh'] }],
    [
      { type: 'EducationCredential', reason: 'claim_not_allowed', claims: [['certificateNumber'], ['fieldOfStudy']] },
      { type: 'NationalIdCredential', reason: 'claim_not_allowed', claims: [['nameZh']] },
    ],
  ],
])('asking beyond the registration (%s) → 403 request_not_registered listing what was refused', async (_name, credentials, refused) => {
  await toChainTime();
  const reply = await ask(employer.apiKey, credentials);
  expect([reply.status, reply.body.code, reply.body.details]).toEqual([403, 'request_not_registered', { refused }]);
});

test('an account without a DID (legacy mode) asks as before', async () => {
  const legacy = await createVerifierAccount(verifier.url, 'Legacy Bank');
  const reply = await ask(legacy.apiKey, [{ type: 'NationalIdCredential' }, { type: 'PropertyCredential', claims: ['address'] }]);
  expect(accepted(reply)).toEqual([200, true]);
});

test('once governance withdraws the registration, the account asks for nothing more', async () => {
  const key = Wallet.createRandom();
  await registry.register(key.address, EMPLOYER_SCOPE);
  await toChainTime();
  const account = (await createAccount(ethrDid(f.chainId, key.address))).body;
  expect(accepted(await ask(account.apiKey, [{ type: 'EducationCredential', claims: ['degree'] }]))).toEqual([200, true]);
  await registry.withdraw(key.address);
  await toChainTime();
  const reply = await ask(account.apiKey, [{ type: 'EducationCredential', claims: ['degree'] }]);
  expect([reply.status, reply.body.code, reply.body.details]).toEqual([403, 'request_not_registered', { refused: [{ type: 'EducationCredential', reason: 'withdrawn' }] }]);
});
