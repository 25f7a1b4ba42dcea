/**
 * The hostile table for SD-JWT VC presentations over HTTP: each attack or mistake answered 200 with its own
 * problem code (the wallet-facing answer: codes only), never a 5xx, never a stall. Real chain, no issuer process.
 */
import { Wallet } from 'ethers';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, nowSeconds } from '../support/credentials.js';
import { decodePart, digestOf, ecKey, encodeDisclosure, resign, withKb } from '../support/sd-jwt-fixtures.js';
import { issueSdJwt, presentSdJwt, walletSigner } from '../support/sd-jwt-agency.js';
import { chainClockOffsetMs, createChallenge, createVerifierAccount, post, startTestVerifier, waitForMirrors } from '../support/verifier.js';

const DAY = 86_400;
const ID = 'NationalIdCredential';
let f: Fixture;
let verifier: RunningVerifier;
let clockOffsetMs = 0;
let apiKey: string;
let agency: TestAgency;
const p256 = ecKey('P-256');
const thief = ecKey('P-256');
const now = () => new Date(Date.now() + clockOffsetMs);
const nowChain = () => Math.floor(now().getTime() / 1000);

/** What a case gets: the request's challenge and domain. */
interface Ask {
  challenge: string;
  domain: string;
  query?: { credentials: Array<{ type: string; claims?: Array<string | Array<string | number | null>> }> };
}

const issued = async (extra: Partial<Parameters<typeof issueSdJwt>[1]> = {}) => (await issueSdJwt(agency, { type: ID, holder: p256, ...extra })).sdJwt;
/** The issuer-signed JWT with the disclosures of `paths`, ending in `~` (no KB-JWT yet). */
const disclose = async (sdJwt: string, ask: Ask, paths: string[][] = [['age_over_18']]) => {
  const presented = await presentSdJwt(sdJwt, p256, paths, ask.challenge, ask.domain, now());
  return presented.slice(0, presented.lastIndexOf('~') + 1);
};
/** Appends a KB-JWT, honest unless overridden. */
const bind = (sdJwt: string, ask: Ask, overrides: { header?: Record<string, unknown>; payload?: Record<string, unknown> } = {}, key = p256) =>
  withKb(sdJwt, key, { header: overrides.header, payload: { iat: nowChain(), nonce: ask.challenge, aud: ask.domain, ...overrides.payload } });
const agencySigner = () => walletSigner(agency.controller);
const parts = (sdJwt: string) => sdJwt.split('~');

beforeAll(async () => {
  f = await deployFixture();
  clockOffsetMs = await chainClockOffsetMs(f.provider);
  agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 30 * DAY }]);
  verifier = await startTestVerifier(f, {}, { now });
  ({ apiKey } = await createVerifierAccount(verifier.url));
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

async function send(make: (ask: Ask) => Promise<unknown>) {
  const ask = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['age_over_18'] }]);
  const presentation = await make(ask);
  return post<{ verified: boolean; problems: Array<{ code: string; path: string }> }>(`${verifier.url}/presentations/verify`, {
    sdJwtPresentations: [presentation],
    options: { challenge: ask.challenge, domain: ask.domain, query: ask.query },
  });
}

test('control: the honest presentation verifies', async () => {
  const { status, body } = await send(async (ask) => bind(await disclose(await issued(), ask), ask));
  expect(status).toBe(200);
  expect(body).toEqual({ verified: true, problems: [] });
});

const cases: Array<[string, (ask: Ask) => Promise<unknown>, string]> = [
  ['wrong issuer signature', async (ask) => bind(await disclose(await issued({ signingKey: Wallet.createRandom() }), ask), ask), 'sd_jwt_signature_invalid'],
  ['kid of another identity', async (ask) => bind(await disclose(await resign(await issued(), ({ header }) => void (header.kid = `${header.kid}x`), agencySigner()), ask), ask), 'sd_jwt_signature_invalid'],
  [
    'issuer DID with a broken checksum',
    async (ask) => {
      const broken = agency.did.replace(/[a-f](?=[^a-f]*$)/, (c) => c.toUpperCase());
      return bind(await disclose(await resign(await issued(), ({ header, payload }) => ((payload.iss = broken), (header.kid = `${broken}#controller`)), agencySigner()), ask), ask);
    },
    'did_invalid',
  ],
  ['issuer of another chain', async (ask) => bind(await disclose(await resign(await issued(), ({ payload }) => void (payload.iss = `did:ethr:0x1:${agency.address}`), agencySigner()), ask), ask), 'did_unresolvable'],
  [
    'disclosure edited',
    async (ask) => {
      const [jwt, disclosure] = parts(await disclose(await issued(), ask));
      const [salt, name] = decodePart(disclosure!) as [string, string, unknown];
      return bind(`${jwt}~${encodeDisclosure([salt, name, false])}~`, ask);
    },
    'disclosure_digest_missing',
  ],
  ['disclosure added', async (ask) => bind(`${await disclose(await issued(), ask)}${encodeDisclosure(['c2FsdHNhbHRzYWx0', 'nameZh', '李四'])}~`, ask), 'disclosure_digest_missing'],
  [
    'disclosure duplicated',
    async (ask) => {
      const [jwt, disclosure] = parts(await disclose(await issued(), ask));
      return bind(`${jwt}~${disclosure}~${disclosure}~`, ask);
    },
    'disclosure_duplicated',
  ],
  [
    'disclosure taken from another credential',
    async (ask) => {
      const [jwt] = parts(await disclose(await issued(), ask));
      const [, foreign] = parts(await disclose(await issued(), ask));
      return bind(`${jwt}~${foreign}~`, ask);
    },
    'disclosure_digest_missing',
  ],
  [
    'digest collision (one digest twice in _sd)',
    async (ask) => bind(await disclose(await resign(await issued(), ({ payload }) => void (payload._sd as string[]).push((payload._sd as string[])[0]!), agencySigner()), ask), ask),
    'sd_digest_duplicated',
  ],
  ['reserved name _sd in a disclosure', async (ask) => bind(`${await disclose(await issued(), ask)}${encodeDisclosure(['c2FsdHNhbHRzYWx0', '_sd', ['x']])}~`, ask), 'disclosure_reserved_name'],
  [
    'reserved top-level name (iss) made disclosable',
    async (ask) => {
      const extra = encodeDisclosure(['c2FsdHNhbHRzYWx0', 'iss', 'did:ethr:0x7a69:0x0000000000000000000000000000000000000001']);
      const base = await resign(await issued(), ({ payload }) => void (payload._sd as string[]).push(digestOf(extra)), agencySigner());
      return bind(`${await disclose(base, ask)}${extra}~`, ask);
    },
    'disclosure_reserved_name',
  ],
  ['KB-JWT missing', async (ask) => disclose(await issued(), ask), 'kb_jwt_missing'],
  ['KB-JWT by another key', async (ask) => bind(await disclose(await issued(), ask), ask, {}, thief), 'kb_jwt_signature_invalid'],
  ['KB-JWT with a wrong sd_hash', async (ask) => bind(await disclose(await issued(), ask), ask, { payload: { sd_hash: digestOf('something else') } }), 'kb_jwt_sd_hash_mismatch'],
  ['KB-JWT for another nonce', async (ask) => bind(await disclose(await issued(), ask), ask, { payload: { nonce: 'another-challenge' } }), 'kb_jwt_nonce_mismatch'],
  ['KB-JWT for another audience', async (ask) => bind(await disclose(await issued(), ask), ask, { payload: { aud: 'evil.example' } }), 'kb_jwt_audience_mismatch'],
  ['KB-JWT iat far in the future', async (ask) => bind(await disclose(await issued(), ask), ask, { payload: { iat: nowChain() + DAY } }), 'kb_jwt_iat_invalid'],
  ['KB-JWT iat far in the past', async (ask) => bind(await disclose(await issued(), ask), ask, { payload: { iat: nowChain() - DAY } }), 'kb_jwt_iat_invalid'],
  ['KB-JWT typ JWT', async (ask) => bind(await disclose(await issued(), ask), ask, { header: { typ: 'JWT' } }), 'kb_jwt_malformed'],
  ['KB-JWT alg of another curve', async (ask) => bind(await disclose(await issued(), ask), ask, { header: { alg: 'ES256K' } }), 'alg_not_allowed'],
  // Disclosed while the credential still had its cnf (a wallet refuses to present without one), then re-signed without.
  ['cnf missing', async (ask) => bind(await resign(await disclose(await issued(), ask), ({ payload }) => void delete payload.cnf, agencySigner()), ask), 'cnf_missing'],
  ['typ JWT instead of dc+sd-jwt', async (ask) => bind(await disclose(await resign(await issued(), ({ header }) => void (header.typ = 'JWT'), agencySigner()), ask), ask), 'sd_jwt_typ_invalid'],
  ['alg none', async (ask) => bind(await disclose(await resign(await issued(), ({ header }) => void (header.alg = 'none'), agencySigner()), ask), ask), 'alg_not_allowed'],
  ['alg HS256', async (ask) => bind(await disclose(await resign(await issued(), ({ header }) => void (header.alg = 'HS256'), agencySigner()), ask), ask), 'alg_not_allowed'],
  ['crit extension', async (ask) => bind(await disclose(await resign(await issued(), ({ header }) => void (header.crit = ['exp']), agencySigner()), ask), ask), 'sd_jwt_crit_unsupported'],
  ['unknown vct', async (ask) => bind(await disclose(await resign(await issued(), ({ payload }) => void (payload.vct = 'urn:other:vct'), agencySigner()), ask), ask), 'vct_unknown'],
  ['expired', async (ask) => bind(await disclose(await issued({ issuedAt: nowChain() - 2 * DAY, expiresAt: nowChain() - DAY }), ask), ask), 'credential_expired'],
  ['issued in the future', async (ask) => bind(await disclose(await issued({ issuedAt: nowChain() + DAY }), ask), ask), 'credential_not_yet_valid'],
  [
    'revoked',
    async (ask) => {
      const { sdJwt, index } = await issueSdJwt(agency, { type: ID, holder: p256 });
      await waitForMirrors(verifier, await agency.revoke(index));
      return bind(await disclose(sdJwt, ask), ask);
    },
    'credential_revoked',
  ],
  [
    'suspended',
    async (ask) => {
      const { sdJwt, index } = await issueSdJwt(agency, { type: ID, holder: p256 });
      await waitForMirrors(verifier, await agency.suspend(index));
      return bind(await disclose(sdJwt, ask), ask);
    },
    'credential_suspended',
  ],
  [
    'issuer not accredited',
    async (ask) => {
      const rogue = await TestAgency.create(f, []);
      await waitForMirrors(verifier, await f.provider.getBlockNumber());
      return bind(await disclose((await issueSdJwt(rogue, { type: ID, holder: p256 })).sdJwt, ask), ask);
    },
    'issuer_not_accredited',
  ],
  ['oversized', async (ask) => bind(`${await disclose(await issued(), ask)}${'A'.repeat(70_000)}~`, ask), 'sd_jwt_too_large'],
  ['malformed', async () => 'not-a-jwt~also-not~', 'sd_jwt_malformed'],
  ['a VP-JWT where an SD-JWT belongs', async () => 'eyJhbGciOiJFUzI1NksifQ.e30.c2ln', 'sd_jwt_malformed'],
];

test.each(cases)('%s → its own code', async (_name, make, code) => {
  const { status, body } = await send(make);
  expect(status).toBe(200);
  expect(body.verified).toBe(false);
  expect(body.problems.map((p) => p.code)).toContain(code);
});

test('every case above has a code of its own or a reason to share it', () => {
  // Edited, added and foreign disclosures are one fact (a disclosure whose digest the credential lacks), as are
  // alg tricks and far-off KB-JWT times: all other cases differ.
  const shared = new Set(['disclosure_digest_missing', 'alg_not_allowed', 'kb_jwt_iat_invalid', 'sd_jwt_signature_invalid', 'disclosure_reserved_name', 'sd_jwt_malformed']);
  const counts = new Map<string, number>();
  for (const [, , code] of cases) counts.set(code, (counts.get(code) ?? 0) + 1);
  expect([...counts].filter(([code, n]) => n > 1 && !shared.has(code))).toEqual([]);
});

test.each<[string, unknown]>([
  ['more SD-JWT presentations than allowed', Array.from({ length: 11 }, () => 'a~b~')],
  ['an SD-JWT presentation that is not a string', [{ sd: 'jwt' }]],
  ['an empty list', []],
])('%s is a 400 with a code', async (_name, list) => {
  const { status, body } = await post<{ code: string }>(`${verifier.url}/presentations/verify`, { sdJwtPresentations: list, options: { challenge: 'c', domain: 'd' } });
  expect([status, body.code]).toEqual([400, 'invalid_request']);
});

test('neither a VP-JWT nor SD-JWT presentations is a 400', async () => {
  const { status, body } = await post<{ code: string }>(`${verifier.url}/presentations/verify`, { options: { challenge: 'c', domain: 'd' } });
  expect([status, body.code]).toEqual([400, 'invalid_request']);
});
