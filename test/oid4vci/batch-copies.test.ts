/**
 * Unlinkable SD-JWT VC copies (OID4VCI batch issuance) end to end, over real HTTP against the real issuer and
 * verifier on the test chain: a batch of 10 copies shares no salt, key, status index or exact time; two copies
 * shown to two verifiers have nothing in common but the disclosed claim and the issuer's own data; revoking the
 * credential revokes every copy; hostile batches are refused with their codes, spending nothing.
 */
import { Wallet } from 'ethers';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';
import { VerifierRegistryClient, decodeSdJwtVc, ethrDid, getCredentialType, vctOf } from '../../libs/credentials/src/index.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, chainClockOffsetMs, get, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';
import { WalletUser } from '../support/wallet.js';
import { decodeParts, leaves, proofJwt, newP256 } from '../support/batch-copies.js';
import { preAuthorizedCodeOf } from '../support/offer-code.js';

let h: IssuerHarness;
let bureau: CreatedAgency & { client: Client; createdAt: string };
let verifier: RunningVerifier;
let user: WalletUser;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const verifierKeys = [Wallet.createRandom(), Wallet.createRandom()];
const apiKeys: string[] = [];

const ID_VCT = vctOf(getCredentialType('NationalIdCredential')!);
const AGE_QUERY = { credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: [{ path: ['age_over_18'] }] }] };

beforeAll(async () => {
  h = await startHarness();
  bureau = (await h.createAgency(['NationalIdCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing Public Security Bureau' })) as unknown as typeof bureau;
  offsetMs = await chainClockOffsetMs(h.fixture.provider);
  const registry = new VerifierRegistryClient(h.fixture.verifierRegistry, h.fixture.governance);
  for (const key of verifierKeys) await registry.register(key.address, EMPLOYER_SCOPE);
  verifier = await startTestVerifier(h.fixture, { VERIFIER_KEY_SECRET: 'cd'.repeat(32) }, { now });
  for (const [i, key] of verifierKeys.entries()) {
    const account = await post<{ apiKey: string }>(
      `${verifier.url}/admin/verifiers`,
      { name: `Employer ${i}`, did: ethrDid(h.fixture.chainId, key.address), signingKey: key.privateKey },
      { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` },
    );
    expect(account.status).toBe(201);
    apiKeys.push(account.body.apiKey);
  }
  user = new WalletUser(h.fixture);
  user.now = now;
  expect((await user.run('init')).code).toBe(0);
});
afterAll(async () => {
  await verifier?.close();
  await h?.close();
});

async function offer(body: Record<string, unknown> = {}): Promise<{ offerUri: string; credentialIssuer: string }> {
  const res = await bureau.client.post('/oid4vci/offers', { type: 'NationalIdCredential', format: 'dc+sd-jwt', claims: SAMPLE_CLAIMS.NationalIdCredential, ...body });
  expect(res.status).toBe(201);
  return res.body;
}

const records = async () => (await bureau.client.get('/credentials?type=NationalIdCredential&limit=100')).body.items as Array<{ id: string; statusIndex: number; state: string }>;

async function heldCopies(): Promise<string[]> {
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  return store.data.credentials[0]!.copies!.map((c) => c.jwt);
}

test('the metadata offers batches of 10; the wallet receives 10 copies sharing no salt, key, index or exact time', async () => {
  const { credentialIssuer } = await offer();
  const metadata = await h.anonymous.get(`/.well-known/openid-credential-issuer${new URL(credentialIssuer).pathname}`);
  expect(metadata.body.batch_credential_issuance).toEqual({ batch_size: 10 });

  const before = await records();
  const received = await user.run('receive', (await offer()).offerUri);
  expect([received.code, received.err]).toEqual([0, '']);
  expect(received.out).toContain('10 unlinkable copies');
  const copies = await heldCopies();
  expect(copies).toHaveLength(10);

  const decoded = copies.map((c) => ({ view: decodeSdJwtVc(c)!, parts: decodeParts(c) }));
  const distinct = (values: unknown[]) => new Set(values.map((v) => JSON.stringify(v))).size;
  // Own key, own status index in each list, own salts and digests, own signature.
  expect(distinct(decoded.map((d) => d.view.holderKey))).toBe(10);
  for (const purpose of ['revocation', 'suspension']) {
    expect(distinct(decoded.map((d) => d.view.statusEntries.find((e) => e.statusPurpose === purpose)!.statusListIndex))).toBe(10);
  }
  const salts = decoded.flatMap((d) => d.parts.disclosures.map((disclosure) => disclosure[0]));
  expect(salts.length).toBeGreaterThan(10 * Object.keys(SAMPLE_CLAIMS.NationalIdCredential).length);
  expect(new Set(salts).size).toBe(salts.length);
  const digests = decoded.flatMap((d) => leaves(d.parts.payload._sd));
  expect(new Set(digests).size).toBe(digests.length);
  expect(distinct(decoded.map((d) => d.parts.signature))).toBe(10);
  // The same claims, no holder identifier.
  for (const d of decoded) {
    expect(d.view.claims).toEqual(decoded[0]!.view.claims);
    expect(d.parts.payload.sub).toBeUndefined();
  }
  // Times rounded down to the UTC day (or, on the agency's first day, to its start): no exact issuance time.
  const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400;
  const floor = Math.max(dayStart, Math.ceil(Date.parse(bureau.createdAt) / 1000));
  for (const d of decoded) {
    expect(d.parts.payload.iat).toBe(floor);
    expect(d.parts.payload.nbf).toBe(floor);
    if (d.parts.payload.exp !== undefined) expect(Number(d.parts.payload.exp) % 86_400).toBe(0);
  }

  // One record for the credential, one audit entry naming every copy's index.
  const after = await records();
  expect(after.length).toBe(before.length + 1);
  const record = after.find((r) => !before.some((b) => b.id === r.id))!;
  expect(String(record.statusIndex)).toBe(decoded[0]!.view.statusEntries[0]!.statusListIndex);
  const audit = (await bureau.client.get('/agency/audit?limit=1000')).body.entries as Array<{ action: string; data: string | Record<string, unknown> }>;
  const issued = audit.filter((e) => e.action === 'credential.issued').map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data)).find((d) => d.credentialId === record.id);
  expect(issued).toMatchObject({ copies: 10, copyStatusIndexes: decoded.map((d) => Number(d.view.statusEntries[0]!.statusListIndex)) });
});

test('two copies shown to two verifiers have in common only the disclosed claim and the issuer', async () => {
  const tokens: string[] = [];
  for (const apiKey of apiKeys) {
    const created = await post<{ id: string; authorizationRequestUri: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: AGE_QUERY, response_mode: 'direct_post' }, withKey(apiKey));
    expect(created.status).toBe(201);
    user.answers = ['y'];
    user.posted = [];
    const run = await user.run('present', created.body.authorizationRequestUri);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(run.out).not.toContain('WARNING');
    const result = await waitFor(async () => {
      const { body } = await get<{ status: string; result?: { verified: boolean } }>(`${verifier.url}/oid4vp/requests/${created.body.id}`, withKey(apiKey));
      return body.result ? body.result : undefined;
    });
    expect(result.verified).toBe(true);
    const vpToken = JSON.parse(new URLSearchParams(user.posted.at(-1)!).get('vp_token')!) as Record<string, string[]>;
    tokens.push(vpToken.id_card![0]!);
  }
  const [a, b] = tokens.map((token) => decodeParts(token));
  // Everything both presentations carry: every value of every header, payload and disclosure, and every segment.
  const common = [...new Set(leaves(a))].filter((value) => new Set(leaves(b)).has(value));
  // What any holder of this agency's ID cards shows: the issuer, its key, the type and schema, the status lists
  // (not the indexes), the day-rounded times, algorithms; and the disclosed claim itself.
  const issuerData = new Set(
    leaves({
      header: { ...a!.header, kid: a!.header.kid },
      payload: { iss: a!.payload.iss, vct: a!.payload.vct, _sd_alg: a!.payload._sd_alg, iat: a!.payload.iat, nbf: a!.payload.nbf, exp: a!.payload.exp, credential_schema: a!.payload.credential_schema },
      status: (a!.payload.status as { eip155_status_list: Array<Record<string, unknown>> }).eip155_status_list.map(({ statusListIndex: _i, ...list }) => list),
      cnf: { kty: 'EC', crv: 'P-256' },
      kb: { typ: a!.kbHeader?.typ, alg: a!.kbHeader?.alg, iat: a!.kbPayload?.iat },
      disclosed: ['age_over_18', true],
    }),
  );
  expect(common).toContain(a!.payload.iss);
  expect(common).toContain('age_over_18');
  // A raw segment in common must be the encoding of such data only (the JOSE headers).
  const onlyIssuerData = (value: unknown) => {
    if (issuerData.has(value)) return true;
    try {
      const decoded = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as unknown;
      return typeof decoded === 'object' && leaves(decoded).every((leaf) => issuerData.has(leaf));
    } catch {
      return false;
    }
  };
  expect(common.filter((value) => !onlyIssuerData(value))).toEqual([]);
  // Two different copies were used, and the wallet counts them.
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  expect(store.data.credentials[0]!.copies!.filter((c) => c.usedAt)).toHaveLength(2);
});

test('out of unused copies, the wallet reuses one with a warning in the consent output; a refill offer adds copies to the credential', async () => {
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  for (const copy of store.data.credentials[0]!.copies!) copy.usedAt ??= new Date().toISOString();
  await store.save();
  const created = await post<{ id: string; authorizationRequestUri: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: AGE_QUERY, response_mode: 'direct_post' }, withKey(apiKeys[0]!));
  user.answers = ['y'];
  const run = await user.run('present', created.body.authorizationRequestUri);
  expect(run.code).toBe(0);
  // The warning comes before the question: the user decides knowing it.
  expect(run.out.indexOf('WARNING: every copy of this credential has been shown before')).toBeGreaterThan(-1);
  expect(user.asked.at(-1)).toContain('Share exactly this?');
  expect(run.out).toContain('0 unused copies left: ask the issuer for a refill offer');

  const [record] = await records();
  const refill = await user.run('receive', '--refill', '1', (await offer({ copiesOf: record!.id })).offerUri);
  expect([refill.code, refill.err]).toEqual([0, '']);
  expect(refill.out).toContain('Refilled: 10 new copies (10 unused)');
  const after = await WalletStore.open(user.walletFile, user.passphrase);
  expect(after.data.credentials).toHaveLength(1);
  expect(after.data.credentials[0]!.copies).toHaveLength(20);
  // Still one record at the issuer: the new copies joined it.
  expect((await records()).length).toBe(1);
});

test('revoking the credential revokes every copy, in one chain write', async () => {
  const copies = await heldCopies();
  const record = (await records())[0]!;
  const change = await bureau.client.post('/credentials/status', { credentialId: record.id, action: 'revoke', reason: 'card reported lost' });
  expect(change.status).toBe(202);
  await waitFor(async () => (await bureau.client.get(`/credentials/status/${change.body.id}`)).body.state === 'anchored');
  const audit = (await bureau.client.get('/agency/audit?limit=1000')).body.entries as Array<{ action: string; data: string | Record<string, unknown> }>;
  const anchored = audit.filter((e) => e.action === 'status.anchored').map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data)).at(-1);
  // The original 10 copies and the 10 of the refill, anchored together.
  expect(copies).toHaveLength(20);
  expect(anchored.changeIds).toHaveLength(20);
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  for (const copy of copies) {
    const { body } = await post<{ verified: boolean; problems: Array<{ code: string }> }>(`${verifier.url}/credentials/verify`, { verifiableCredential: copy });
    expect(body.verified).toBe(false);
    expect(body.problems.map((p) => p.code)).toContain('credential_revoked');
  }
  // A revoked credential gets no more copies.
  expect(await bureau.client.post('/oid4vci/offers', { type: 'NationalIdCredential', format: 'dc+sd-jwt', claims: SAMPLE_CLAIMS.NationalIdCredential, copiesOf: record.id })).toMatchObject({
    status: 409,
    body: { code: 'credential_not_active' },
  });
});

describe('hostile batches', () => {
  /** An access token and a c_nonce for a fresh offer, by hand (no client library in the way). */
  async function session(): Promise<{ endpoint: string; audience: string; token: string; nonce: string }> {
    const { offerUri, credentialIssuer } = await offer();
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': await preAuthorizedCodeOf(offerUri) });
    const token = await fetch(`${credentialIssuer}/token`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }).then((r) => r.json() as Promise<{ access_token: string }>);
    const nonce = await fetch(`${credentialIssuer}/nonce`, { method: 'POST' }).then((r) => r.json() as Promise<{ c_nonce: string }>);
    return { endpoint: `${credentialIssuer}/credential`, audience: credentialIssuer, token: token.access_token, nonce: nonce.c_nonce };
  }
  async function request(s: { endpoint: string; token: string }, proofs: string[]) {
    const res = await fetch(s.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify({ credential_configuration_id: 'NationalIdCredential_sd_jwt', proofs: { jwt: proofs } }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  test.each<[string, string, (s: { audience: string; nonce: string }) => string[]]>([
    ['more proofs than batch_size', 'invalid_credential_request', (s) => Array.from({ length: 11 }, () => proofJwt(newP256(), s.audience, s.nonce))],
    [
      'two proofs of one key',
      'invalid_proof',
      (s) => {
        const key = newP256();
        return [proofJwt(newP256(), s.audience, s.nonce), proofJwt(key, s.audience, s.nonce), proofJwt(key, s.audience, s.nonce)];
      },
    ],
    ['a bad proof among good ones (its jwk did not sign it)', 'invalid_proof', (s) => [proofJwt(newP256(), s.audience, s.nonce), proofJwt(newP256(), s.audience, s.nonce, newP256()), proofJwt(newP256(), s.audience, s.nonce)]],
    ['proofs answering two nonces', 'invalid_proof', (s) => [proofJwt(newP256(), s.audience, s.nonce), proofJwt(newP256(), s.audience, 'another-nonce')]],
    ['a proof for another audience', 'invalid_proof', (s) => [proofJwt(newP256(), s.audience, s.nonce), proofJwt(newP256(), `${s.audience}-elsewhere`, s.nonce)]],
  ])('%s → 400 %s; nothing issued, nonce and token still good', async (_name, code, proofs) => {
    const s = await session();
    const before = (await records()).length;
    expect(await request(s, proofs(s))).toMatchObject({ status: 400, body: { error: code } });
    expect((await records()).length).toBe(before);
    // The same nonce and token still get a batch: the refusal spent neither.
    const good = await request(s, [proofJwt(newP256(), s.audience, s.nonce), proofJwt(newP256(), s.audience, s.nonce)]);
    expect(good.status).toBe(200);
    expect(good.body.credentials).toHaveLength(2);
    // And the nonce is spent once: it does not get a second batch.
    expect(await request({ ...s, token: (await session()).token }, [proofJwt(newP256(), s.audience, s.nonce)])).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
  });
});
