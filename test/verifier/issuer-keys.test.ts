/**
 * Issuer signing keys as ERC-1056 attributes and delegates (issue 15): credentials signed by a key named in the
 * JOSE header (`kid` = `did:ethr:…#delegate-N`) verify with THAT key only; a key the issuer revoked fails every
 * credential it signed, back-dated or not (`issuer_key_revoked`); a key that merely reached its `validTo` keeps
 * the credentials it signed while valid. Both formats, over HTTP, on a chain of this file's own (it moves the clock).
 */
import { Wallet } from 'ethers';
import { schemaReference } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { VERI_KEY_HEX, bytes32, Erc1056 } from '../support/erc1056.js';
import { startPrivateChain, type PrivateChain } from '../support/private-chain.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { issueSdJwt } from '../support/sd-jwt-agency.js';
import { ecKey } from '../support/sd-jwt-fixtures.js';
import { post, startTestVerifier, waitForMirrors, type ResultBody } from '../support/verifier.js';

const DAY = 86_400;
const TYPE = 'NationalIdCredential';
let chain: PrivateChain;
let verifier: RunningVerifier;
let agency: TestAgency;
let registry: Erc1056;
const holder = new TestHolder();
// Signing keys: A and B attributes (hex), D a `veriKey` delegate, E an attribute valid for seconds only.
const [keyA, keyB, keyD, keyE] = Array.from({ length: 4 }, () => new Wallet(Wallet.createRandom().privateKey));
const kid = (n: number) => `${agency.did}#delegate-${n}`;
/** Block time of each key's addition. */
const added: Record<'A' | 'B' | 'D' | 'E', number> = { A: 0, B: 0, D: 0, E: 0 };

beforeAll(async () => {
  chain = await startPrivateChain();
  agency = await TestAgency.create(chain.fixture, [{ type: TYPE, validFrom: nowSeconds() - 30 * DAY }, { type: 'EducationCredential', validFrom: nowSeconds() - 30 * DAY }]);
  registry = new Erc1056(chain.fixture.didRegistry, agency.address);
  const mined = async (tx: Promise<{ wait(): Promise<{ blockNumber: number } | null> }>) => {
    const receipt = (await (await tx).wait())!;
    return (await chain.fixture.provider.getBlock(receipt.blockNumber))!.timestamp;
  };
  added.A = await mined(registry.send(agency.identity, 'setAttribute', [bytes32(VERI_KEY_HEX), keyA.signingKey.compressedPublicKey, 10 * 365 * DAY]));
  added.D = await mined(registry.send(agency.identity, 'addDelegate', [bytes32('veriKey'), keyD.address, 365 * DAY]));
  added.B = await mined(registry.send(agency.identity, 'setAttribute', [bytes32(VERI_KEY_HEX), keyB.signingKey.compressedPublicKey, 10 * 365 * DAY]));
  added.E = await mined(registry.send(agency.identity, 'setAttribute', [bytes32(VERI_KEY_HEX), keyE.signingKey.compressedPublicKey, 3]));
  verifier = await startTestVerifier(chain.fixture, { CHAIN_RPC_URL: chain.url });
}, 60_000);

afterAll(async () => {
  await verifier?.close();
  await chain?.stop();
});

const verify = async (credential: string) => (await post<ResultBody>(`${verifier.url}/credentials/verify`, { verifiableCredential: credential })).body;
const codes = (body: ResultBody) => body.problems.map((p) => p.code);
const jwtVc = async (key: Wallet, issuedAt: number, kidHeader?: string) =>
  (await agency.issue({ type: TYPE, holder: holder.did, claims: SAMPLE_CLAIMS[TYPE], schema: schemaReference(TYPE), signingKey: key.privateKey, issuedAt, ...(kidHeader ? { kid: kidHeader } : {}) })).jwt;

async function synced(): Promise<void> {
  await waitForMirrors(verifier, await chain.fixture.provider.getBlockNumber());
}

test('a credential signed by an attribute or delegate key, its `kid` naming that key, verifies', async () => {
  await synced();
  for (const [key, n, at] of [[keyA, 1, added.A], [keyD, 2, added.D], [keyB, 3, added.B]] as const) {
    const body = await verify(await jwtVc(key, at, kid(n)));
    expect({ n, verified: body.verified, codes: codes(body) }).toEqual({ n, verified: true, codes: [] });
  }
  // Without a `kid`, any key of the document at issuance (today's behaviour).
  expect((await verify(await jwtVc(keyB, added.B))).verified).toBe(true);
  // The owner still signs as `#controller`.
  expect((await verify(await jwtVc(agency.controller, added.B, `${agency.did}#controller`))).verified).toBe(true);
});

// Each signed by key B (delegate-3) when it was added; A (delegate-1) and D (delegate-2) were listed then, E not yet.
test.each([
  ['names another key of the issuer', () => kid(1)],
  ['names a key the document does not have', () => kid(9)],
  ['names a key the document did not have at issuance', () => kid(4)],
  ['names a key of another DID', () => `did:ethr:0x7a69:${keyB.address}#controller`],
  ['is the DID itself', () => agency.did],
  ['is not a string', () => 42 as unknown as string],
])('a `kid` that %s: credential_signature_invalid', async (_name, kidOf) => {
  await synced();
  const body = await verify(await jwtVc(keyB, added.B, kidOf()));
  expect(codes(body)).toEqual(['credential_signature_invalid']);
});

test('an SD-JWT VC whose `kid` names another key than the one that signed: sd_jwt_signature_invalid', async () => {
  await synced();
  const issue = (n: number) => issueSdJwt(agency, { type: 'EducationCredential', holder: ecKey('P-256'), signingKey: keyB, issuedAt: added.B, kid: kid(n) });
  expect(codes(await verify((await issue(3)).sdJwt))).toEqual([]);
  expect(codes(await verify((await issue(1)).sdJwt))).toEqual(['sd_jwt_signature_invalid']);
});

test('a key that reached its validTo: what it signed while valid still verifies, nothing signed after', async () => {
  await synced();
  const honest = await jwtVc(keyE, added.E, kid(4));
  expect((await verify(honest)).verified).toBe(true);
  // The period ends (3 s): the chain's clock moves on.
  await chain.fixture.provider.send('evm_increaseTime', [10]);
  await chain.fixture.provider.send('evm_mine', []);
  await synced();
  expect((await verify(honest)).verified).toBe(true);
  const late = (await chain.fixture.provider.getBlock('latest'))!.timestamp;
  expect(codes(await verify(await jwtVc(keyE, late, kid(4))))).toEqual(['credential_signature_invalid']);
});

test('a revoked key fails every credential it signed, back-dated or not, in both formats; the other keys do not', async () => {
  await synced();
  const p256 = ecKey('P-256');
  const sdJwt = (await issueSdJwt(agency, { type: 'EducationCredential', holder: p256, signingKey: keyA, issuedAt: added.A, kid: kid(1) })).sdJwt;
  const honest = await jwtVc(keyA, added.A, kid(1));
  const [forged, noKid] = [await jwtVc(keyA, added.A + 1, kid(1)), await jwtVc(keyA, added.A + 1)];
  const delegateSigned = await jwtVc(keyD, added.D, kid(2));
  for (const credential of [sdJwt, honest, forged, noKid, delegateSigned]) expect(codes(await verify(credential))).toEqual([]);

  // The owner revokes key A (ERC-1056 revokeAttribute: validTo 0).
  await (await registry.send(agency.identity, 'revokeAttribute', [bytes32(VERI_KEY_HEX), keyA.signingKey.compressedPublicKey])).wait();
  await synced();
  for (const credential of [sdJwt, honest, forged, noKid]) expect(codes(await verify(credential))).toEqual(['issuer_key_revoked']);
  expect(codes(await verify(delegateSigned))).toEqual([]);
  expect(codes(await verify(await jwtVc(keyB, added.B, kid(3))))).toEqual([]);

  // A delegate revoked (revokeDelegate: validTo = the block's time) likewise.
  await (await registry.send(agency.identity, 'revokeDelegate', [bytes32('veriKey'), keyD.address])).wait();
  await synced();
  expect(codes(await verify(delegateSigned))).toEqual(['issuer_key_revoked']);
});
