/**
 * An agency that rotated its signing key ten times (each rotation a new `veriKey` attribute and a renewed
 * status-writer delegate, one owner change on the way): the verifier checks credentials of all eleven keys from
 * its DID mirror's memory, never through ethr-did-resolver (issue 15: "stays on the in-memory path").
 */
import { Wallet } from 'ethers';
import { schemaReference } from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { deployFixture, fundedWallet, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder, nowSeconds } from '../support/credentials.js';
import { VERI_KEY_HEX, bytes32, Erc1056 } from '../support/erc1056.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { chainClockOffsetMs, post, startTestVerifier, waitForMirrors, type ResultBody } from '../support/verifier.js';

const DAY = 86_400;
const TYPE = 'NationalIdCredential';
let f: Fixture;
let verifier: RunningVerifier;
let agency: TestAgency;
const keys: Array<{ wallet: Wallet; kid: string; at: number }> = [];

beforeAll(async () => {
  f = await deployFixture();
  agency = await TestAgency.create(f, [{ type: TYPE, validFrom: nowSeconds() - 30 * DAY }]);
  const registry = new Erc1056(f.didRegistry, agency.address);
  let owner = agency.identity;
  let position = 0;
  for (let rotation = 0; rotation <= 10; rotation++) {
    const wallet = new Wallet(Wallet.createRandom().privateKey);
    const receipt = (await (await registry.send(owner, 'setAttribute', [bytes32(VERI_KEY_HEX), wallet.signingKey.compressedPublicKey, 10 * 365 * DAY])).wait())!;
    keys.push({ wallet, kid: `${agency.did}#delegate-${++position}`, at: (await f.provider.getBlock(receipt.blockNumber))!.timestamp });
    // The status writer's renewal in the same rotation: a delegate, counted in the positional ids too.
    await (await registry.send(owner, 'addDelegate', [bytes32('govcred/statusWriter'), Wallet.createRandom().address, 90 * DAY])).wait();
    position++;
    if (rotation === 5) {
      const next = await fundedWallet(f.provider);
      await (await registry.send(owner, 'changeOwner', [next.address])).wait();
      owner = next;
    }
  }
  const offsetMs = await chainClockOffsetMs(f.provider);
  verifier = await startTestVerifier(f, {}, { now: () => new Date(Date.now() + offsetMs) });
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
}, 60_000);

afterAll(async () => {
  await verifier?.close();
  f?.provider.destroy();
});

test('credentials of each of the eleven keys verify, every DID query answered from memory', async () => {
  const holder = new TestHolder();
  const credentials = await Promise.all(
    keys.map(async (key) => (await agency.issue({ type: TYPE, holder: holder.did, claims: SAMPLE_CLAIMS[TYPE], schema: schemaReference(TYPE), signingKey: key.wallet.privateKey, issuedAt: key.at, kid: key.kid })).jwt),
  );
  const mirror = verifier.chain.didMirror;
  const before = { ...mirror.stats };
  for (const [i, credential] of credentials.entries()) {
    const { body } = await post<ResultBody>(`${verifier.url}/credentials/verify`, { verifiableCredential: credential });
    expect({ key: i, verified: body.verified, problems: body.problems }).toEqual({ key: i, verified: true, problems: [] });
  }
  expect(mirror.stats.memory - before.memory).toBeGreaterThanOrEqual(credentials.length);
  expect(mirror.stats.fallback).toBe(before.fallback);
  // The latest document lists all eleven keys (none revoked), the owner changed once.
  const document = (await mirror.resolve(agency.did)).didDocument!;
  expect(document.assertionMethod).toEqual([`${agency.did}#controller`, ...keys.map((k) => k.kid)]);
});
