/**
 * The hostile table: each attack or mistake is answered with its own stable code, never a 5xx.
 * Real chain, real HTTP; no issuer process runs (credentials are made by test/support/credentials.ts).
 */
import { Wallet } from 'ethers';
import { schemaReference } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, algNone, hs256WithPublicKey, jwtPayload, nowSeconds, replacePayload, tamperSignature } from '../support/credentials.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, createChallenge, createVerifierAccount, get, post, startTestVerifier, waitForMirrors, withKey, type ResultBody } from '../support/verifier.js';

const DAY = 86_400;
const ID = 'NationalIdCredential';
const EDU = 'EducationCredential';

let f: Fixture;
let verifier: RunningVerifier;
let clockOffsetMs = 0;
let apiKey: string;
let agency: TestAgency;
const holder = new TestHolder();
const other = new TestHolder();

/** A valid national ID credential for `to` from `from`. */
async function idCredential(from: TestAgency, to: TestHolder, extra: Partial<Parameters<TestAgency['issue']>[0]> = {}) {
  return from.issue({ type: ID, holder: to.did, claims: SAMPLE_CLAIMS[ID], schema: schemaReference(ID), ...extra });
}

/** Presents `credentials` for a fresh request asking for a national ID; returns the verifier's answer. */
async function present(
  credentials: unknown[],
  tweak: { by?: TestHolder; nonce?: string; aud?: string; optionsDomain?: string; vp?: (jwt: string) => string; claims?: string[] } = {},
) {
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: tweak.claims ?? ['name'] }]);
  let vp = await (tweak.by ?? holder).present(credentials, tweak.nonce ?? request.challenge, tweak.aud ?? request.domain);
  if (tweak.vp) vp = tweak.vp(vp);
  return post<ResultBody>(`${verifier.url}/presentations/verify`, {
    verifiablePresentation: vp,
    options: { challenge: request.challenge, domain: tweak.optionsDomain ?? request.domain, query: request.query },
  });
}

function codes(body: ResultBody): string[] {
  return [...new Set(body.problems.map((p) => p.code))].sort();
}

beforeAll(async () => {
  f = await deployFixture();
  clockOffsetMs = await chainClockOffsetMs(f.provider);
  agency = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 30 * DAY }]);
  verifier = await startTestVerifier(f, {}, { now: () => new Date(Date.now() + clockOffsetMs) });
  ({ apiKey } = await createVerifierAccount(verifier.url));
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
});
afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

test('control: the honest presentation verifies', async () => {
  const { jwt } = await idCredential(agency, holder);
  const { status, body } = await present([jwt]);
  expect(status).toBe(200);
  expect(body.problems).toEqual([]);
  expect(body.verified).toBe(true);
});

/** Credential-level cases: [name, make the credential(s), expected code]. Each travels in an honest presentation. */
const credentialCases: Array<[string, () => Promise<string>, string]> = [
  ['tampered credential signature', async () => tamperSignature((await idCredential(agency, holder)).jwt), 'credential_signature_invalid'],
  [
    'forged claims under an honest signature',
    async () => {
      const { jwt } = await idCredential(agency, holder);
      const payload = jwtPayload(jwt) as { vc: { credentialSubject: Record<string, unknown> } };
      payload.vc.credentialSubject.name = 'WANG Wu';
      return replacePayload(jwt, payload);
    },
    'credential_signature_invalid',
  ],
  ['alg: none', async () => algNone((await idCredential(agency, holder)).jwt), 'alg_not_allowed'],
  [
    'HS256 keyed with the issuer public key',
    async () => hs256WithPublicKey((await idCredential(agency, holder)).jwt, agency.identity.signingKey.compressedPublicKey),
    'alg_not_allowed',
  ],
  ['expired', async () => (await idCredential(agency, holder, { issuedAt: nowSeconds() - 2 * DAY, expiresAt: nowSeconds() - DAY })).jwt, 'credential_expired'],
  ['not yet valid', async () => (await idCredential(agency, holder, { issuedAt: nowSeconds() + DAY })).jwt, 'credential_not_yet_valid'],
  [
    'revoked',
    async () => {
      const c = await idCredential(agency, holder);
      await waitForMirrors(verifier, await agency.revoke(c.index));
      return c.jwt;
    },
    'credential_revoked',
  ],
  [
    'suspended',
    async () => {
      const c = await idCredential(agency, holder);
      await waitForMirrors(verifier, await agency.suspend(c.index));
      return c.jwt;
    },
    'credential_suspended',
  ],
  [
    'issuer not accredited',
    async () => {
      const rogue = await TestAgency.create(f, []);
      await waitForMirrors(verifier, await f.provider.getBlockNumber());
      return (await idCredential(rogue, holder)).jwt;
    },
    'issuer_not_accredited',
  ],
  [
    'issuer accredited for another type only',
    async () => {
      const university = await TestAgency.create(f, [{ type: EDU, validFrom: nowSeconds() - 30 * DAY }]);
      await waitForMirrors(verifier, await f.provider.getBlockNumber());
      return (await idCredential(university, holder)).jwt;
    },
    'issuer_not_accredited_for_type',
  ],
  [
    'accreditation ended before issuance',
    async () => {
      const former = await TestAgency.create(f, [{ type: ID, validFrom: nowSeconds() - 30 * DAY, validUntil: nowSeconds() - 10 * DAY }]);
      await waitForMirrors(verifier, await f.provider.getBlockNumber());
      return (await idCredential(former, holder, { issuedAt: nowSeconds() - DAY })).jwt;
    },
    'accreditation_not_in_force',
  ],
  ["someone else's credential", async () => (await idCredential(agency, other)).jwt, 'holder_mismatch'],
  [
    'issuer DID on another chain (unresolvable)',
    async () => {
      const { jwt } = await idCredential(agency, holder);
      const payload = jwtPayload(jwt);
      // Same key, but the DID names chain 1, which this verifier cannot resolve.
      const did = agency.did.replace('did:ethr:0x7a69:', 'did:ethr:0x1:');
      const { createJWT, ES256KSigner } = await import('did-jwt');
      const { getBytes } = await import('ethers');
      return createJWT({ ...payload, iss: did }, { issuer: did, signer: ES256KSigner(getBytes(agency.identity.privateKey)) }, { alg: 'ES256K' });
    },
    'did_unresolvable',
  ],
  [
    'schema digest that is not the catalog one',
    async () => (await idCredential(agency, holder, { schema: { ...schemaReference(ID), digestSRI: 'sha256-AAAA' } })).jwt,
    'schema_unknown',
  ],
  [
    'claims that break the schema',
    async () => (await idCredential(agency, holder, { claims: { ...SAMPLE_CLAIMS[ID], citizenIdNumber: '123' } })).jwt,
    'claims_invalid',
  ],
  ['not a JWT at all', async () => 'hello.world', 'jwt_malformed'],
];

// When a credential cannot be trusted at all, the request also lacks its national ID: that is reported too.
const ALSO_MISSING = new Set(['credential_signature_invalid', 'alg_not_allowed', 'did_unresolvable', 'jwt_malformed']);

test.each(credentialCases.map(([name, make, code]) => [name, code, make] as const))('%s → %s (in a presentation)', async (_name, expected, make) => {
  const { status, body } = await present([await make()]);
  expect(status).toBe(200);
  expect(body.verified).toBe(false);
  expect(codes(body)).toEqual(ALSO_MISSING.has(expected) ? [expected, 'requested_credential_missing'].sort() : [expected]);
});

test.each(credentialCases.filter(([, , code]) => code !== 'holder_mismatch').map(([name, make, code]) => [name, code, make] as const))(
  '%s → %s (POST /credentials/verify)',
  async (_name, expected, make) => {
    const { status, body } = await post<ResultBody>(`${verifier.url}/credentials/verify`, { verifiableCredential: await make() });
    expect(status).toBe(200);
    expect(body.verified).toBe(false);
    expect(codes(body)).toEqual([expected]);
  },
);

/** Presentation-level cases. */
const presentationCases: Array<[string, () => Promise<{ status: number; body: ResultBody }>, string]> = [
  ['tampered presentation signature', async () => present([(await idCredential(agency, holder)).jwt], { vp: tamperSignature }), 'presentation_signature_invalid'],
  ['presentation with alg: none', async () => present([(await idCredential(agency, holder)).jwt], { vp: algNone }), 'alg_not_allowed'],
  ['wrong challenge', async () => present([(await idCredential(agency, holder)).jwt], { nonce: 'another-challenge' }), 'challenge_mismatch'],
  ['wrong domain in the presentation', async () => present([(await idCredential(agency, holder)).jwt], { aud: 'evil.example' }), 'domain_mismatch'],
  [
    'wrong domain in the options',
    async () => present([(await idCredential(agency, holder)).jwt], { aud: 'evil.example', optionsDomain: 'evil.example' }),
    'domain_mismatch',
  ],
  [
    'missing requested claim',
    async () => {
      const { ethnicity: _omitted, ...claims } = SAMPLE_CLAIMS[ID];
      return present([(await idCredential(agency, holder, { claims })).jwt], { claims: ['name', 'ethnicity'] });
    },
    'requested_claim_missing',
  ],
  ['no credential at all', async () => present([]), 'requested_credential_missing'],
  [
    'unknown holder DID',
    async () => {
      const stranger = new TestHolder(1); // did:ethr on chain 1: not resolvable here
      return present([(await idCredential(agency, stranger)).jwt], { by: stranger });
    },
    'did_unresolvable',
  ],
  [
    'challenge this verifier never issued',
    async () => {
      const vp = await holder.present([(await idCredential(agency, holder)).jwt], 'made-up', 'bank.example');
      return post<ResultBody>(`${verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: 'made-up', domain: 'bank.example' } });
    },
    'challenge_unknown',
  ],
];

test.each(presentationCases.map(([name, run, code]) => [name, code, run] as const))('%s → %s', async (_name, expected, run) => {
  const { status, body } = await run();
  expect(status).toBe(200);
  expect(body.verified).toBe(false);
  expect(codes(body)).toEqual([expected]);
});

test('replayed challenge → challenge_replayed, for the owner too', async () => {
  const { jwt } = await idCredential(agency, holder);
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
  const vp = await holder.present([jwt], request.challenge, request.domain);
  const body = { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } };
  const first = await post<ResultBody>(`${verifier.url}/presentations/verify`, body);
  expect(first.body.verified).toBe(true);
  const again = await post<ResultBody>(`${verifier.url}/presentations/verify`, body);
  expect(again.status).toBe(200);
  expect(codes(again.body)).toEqual(['challenge_replayed']);
  // Ten replays at once: none gets through.
  const burst = await Promise.all(Array.from({ length: 10 }, () => post<ResultBody>(`${verifier.url}/presentations/verify`, body)));
  expect(burst.map((r) => [r.status, r.body.verified])).toEqual(Array(10).fill([200, false]));
  const owner = await post<ResultBody>(`${verifier.url}/presentations/verify`, body, withKey(apiKey));
  expect(codes(owner.body)).toEqual(['challenge_replayed']);
});

// The challenge is used up by one conditional UPDATE that names the domain: a presentation that is valid in
// itself but made for another domain (its audience and the options agree on it) must not use it up.
test('a presentation made for another domain is refused and leaves the challenge to the honest one', async () => {
  const { jwt } = await idCredential(agency, holder);
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID, claims: ['name'] }]);
  const elsewhere = await holder.present([jwt], request.challenge, 'evil.example');
  const refused = await post<ResultBody>(`${verifier.url}/presentations/verify`, {
    verifiablePresentation: elsewhere,
    options: { challenge: request.challenge, domain: 'evil.example', query: request.query },
  });
  expect([refused.status, refused.body.verified, codes(refused.body)]).toEqual([200, false, ['domain_mismatch']]);
  const honest = await holder.present([jwt], request.challenge, request.domain);
  const accepted = await post<ResultBody>(`${verifier.url}/presentations/verify`, {
    verifiablePresentation: honest,
    options: { challenge: request.challenge, domain: request.domain, query: request.query },
  });
  expect([accepted.body.verified, codes(accepted.body)]).toEqual([true, []]);
});

test('concurrent first use: exactly one of two simultaneous presentations is accepted', async () => {
  const { jwt } = await idCredential(agency, holder);
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID }]);
  const vp = await holder.present([jwt], request.challenge, request.domain);
  const body = { verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain, query: request.query } };
  const replies = await Promise.all([1, 2, 3, 4].map(() => post<ResultBody>(`${verifier.url}/presentations/verify`, body)));
  expect(replies.filter((r) => r.body.verified)).toHaveLength(1);
  expect(replies.filter((r) => codes(r.body).includes('challenge_replayed'))).toHaveLength(3);
});

test('expired challenge → challenge_expired', async () => {
  const { jwt } = await idCredential(agency, holder);
  const request = await createChallenge(verifier.url, apiKey, [{ type: ID }]);
  const vp = await holder.present([jwt], request.challenge, request.domain);
  clockOffsetMs += 301_000; // past CHALLENGE_TTL_SECONDS (300 by default)
  try {
    const { status, body } = await post<ResultBody>(`${verifier.url}/presentations/verify`, {
      verifiablePresentation: vp,
      options: { challenge: request.challenge, domain: request.domain, query: request.query },
    });
    expect(status).toBe(200);
    expect(codes(body)).toEqual(['challenge_expired']);
  } finally {
    clockOffsetMs -= 301_000;
  }
});

describe('malformed requests are 4xx with a stable code, never 5xx', () => {
  test('malformed JSON → 400 malformed_json', async () => {
    for (const path of ['/presentations/verify', '/credentials/verify', '/challenges']) {
      const { status, body } = await post(`${verifier.url}${path}`, '{"verifiablePresentation": ', withKey(apiKey));
      expect([path, status, body.code]).toEqual([path, 400, 'malformed_json']);
    }
    // A JSON body that is not an object or array is refused by the parser too.
    const { status, body } = await post(`${verifier.url}/credentials/verify`, 'null');
    expect([status, body.code]).toEqual([400, 'malformed_json']);
  });

  test('oversized body → 413 payload_too_large', async () => {
    const { status, body } = await post(`${verifier.url}/presentations/verify`, {
      verifiablePresentation: 'x'.repeat(300 * 1024),
      options: { challenge: 'c', domain: 'd' },
    });
    expect([status, body.code]).toEqual([413, 'payload_too_large']);
  });

  test.each<[string, string, unknown]>([
    ['no options', '/presentations/verify', { verifiablePresentation: 'a.b.c' }],
    ['options without challenge', '/presentations/verify', { verifiablePresentation: 'a.b.c', options: { domain: 'bank.example' } }],
    ['a number as presentation', '/presentations/verify', { verifiablePresentation: 42, options: { challenge: 'c', domain: 'd' } }],
    ['an array body', '/credentials/verify', [1, 2]],
    ['no credential', '/credentials/verify', {}],
    ['empty query', '/presentations/verify', { verifiablePresentation: 'a.b.c', options: { challenge: 'c', domain: 'd', query: { credentials: [] } } }],
    ['query with a bad type name', '/presentations/verify', { verifiablePresentation: 'a.b.c', options: { challenge: 'c', domain: 'd', query: { credentials: [{ type: '../etc' }] } } }],
  ])('%s → 400 invalid_request', async (_name, path, body) => {
    // With a verifier account's key: the key must not mask a bad body.
    const reply = await post(`${verifier.url}${path}`, body, withKey(apiKey));
    expect([reply.status, reply.body.code]).toEqual([400, 'invalid_request']);
  });

  test('deeply nested garbage inside a well-formed body is refused as a request, before anything walks it', async () => {
    // Bodies deeper than MAX_BODY_DEPTH (64) are a 400: JSON.stringify of one a few thousand levels deep
    // overflows the stack (a 500 before the limit, e.g. when a bulk job stored its items).
    // Arrays (2 bytes a level) so that every depth fits the route's body limit and reaches the depth check.
    for (const depth of [100, 2000, 7000, 20_000]) {
      const nested = `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
      const body = `{"verifiableCredential":{"proof":{"jwt":"${'a'.repeat(100)}.${'b'.repeat(100)}.c"},"nested":${nested}}}`;
      for (const path of ['/credentials/verify', '/presentations/verify']) {
        const reply = await post(`${verifier.url}${path}`, body, withKey(apiKey));
        expect([depth, path, reply.status, reply.body.code]).toEqual([depth, path, 400, 'invalid_request']);
      }
    }
    // Nesting within the limit is judged as before: by the JWT only.
    let shallow: unknown = 'x';
    for (let i = 0; i < 20; i++) shallow = { proof: { jwt: 1 }, a: shallow };
    const reply = await post<ResultBody>(`${verifier.url}/credentials/verify`, { verifiableCredential: { proof: { jwt: `${'a'.repeat(100)}.${'b'.repeat(100)}.c` }, nested: shallow } });
    expect(reply.status).toBe(200);
    expect(codes(reply.body)).toEqual(['jwt_malformed']);
  });

  test('a forged credential object with a valid-looking envelope is judged by its JWT only', async () => {
    const { jwt } = await idCredential(agency, holder);
    const reply = await post<ResultBody>(`${verifier.url}/credentials/verify`, {
      verifiableCredential: { credentialSubject: { name: 'WANG Wu' }, proof: { type: 'JwtProof2020', jwt } },
    });
    expect(reply.body.verified).toBe(true);
    expect(reply.body.credentials[0].claims.name).toBe(SAMPLE_CLAIMS[ID].name);
  });

  test('the removed presentation-request routes → 404 not_found', async () => {
    for (const id of ['', '00000000-0000-4000-8000-000000000000', "1' OR '1'='1"]) {
      const reply = await fetch(`${verifier.url}/presentation-requests/${encodeURIComponent(id)}`);
      expect([reply.status, ((await reply.json()) as { code: string }).code]).toEqual([404, 'not_found']);
    }
  });

  test('an unknown challenge with a SQL-looking value → challenge_unknown', async () => {
    const reply = await post<ResultBody>(`${verifier.url}/presentations/verify`, { verifiablePresentation: 'a.b.c', options: { challenge: "1' OR '1'='1", domain: 'bank.example' } }, withKey(apiKey));
    expect([reply.status, codes(reply.body).includes('challenge_unknown')]).toEqual([200, true]);
  });
});

test('a key that never controlled the issuer cannot sign for it', async () => {
  const { jwt } = await idCredential(agency, holder, { signingKey: Wallet.createRandom().privateKey });
  const { body } = await post<ResultBody>(`${verifier.url}/credentials/verify`, { verifiableCredential: jwt });
  expect(codes(body)).toEqual(['credential_signature_invalid']);
});
