// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { getCredentialType } from '../../../../../libs/credentials/src/catalog/registry.js';
import { vctOf } from '../../../../../libs/credentials/src/catalog/vct.js';
import { presentSdJwtVc } from '../../../../../libs/credentials/src/formats/sd-jwt-vc/present.js';
import { verifySdJwtVc } from '../../../../../libs/credentials/src/formats/sd-jwt-vc/verify.js';
import { parseDcqlQuery } from '../../../../../libs/credentials/src/query/dcql.js';
import { SAMPLE_CLAIMS } from '../../../../../scripts/lib/sample-claims.js';
import { AUDIENCE, ISSUER_DID, NONCE, NOW, issue, resolveIssuerKey } from '../../../../../test/support/sd-jwt-fixtures.js';
import type { StoredCredential } from '../store/wallet-store';
import { newHolderKey, publicJwk, signInput } from './holder-key';
import { proposeClaims } from './present';

/**
 * Which claims the web wallet would send for a DCQL query (the shared matcher), and that its WebCrypto key
 * presents exactly those with a key binding the verifier's own code accepts.
 */
const ID_VCT = vctOf(getCredentialType('NationalIdCredential')!);
const ID = SAMPLE_CLAIMS.NationalIdCredential;

const query = (credential: Record<string, unknown>) => {
  const parsed = parseDcqlQuery({ credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, ...credential }] });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
};

async function idCard(receivedAt: string, claims: Record<string, unknown> = ID): Promise<StoredCredential> {
  const holderKey = await newHolderKey();
  const sdJwt = await issue('NationalIdCredential', claims, { jwk: publicJwk(holderKey), alg: 'ES256', sign: (input) => signInput(holderKey, input) });
  return { id: receivedAt, format: 'dc+sd-jwt', sdJwt, holderKey, type: 'NationalIdCredential', issuer: ISSUER_DID, issuerName: { 'zh-CN': '南京市公安局' }, receivedAt };
}

describe('claims proposed for a DCQL query', () => {
  it('only the asked claim leaves, labelled with its value; every other claim stays, named', async () => {
    const plan = proposeClaims(query({ claims: [{ path: ['age_over_18'] }] }), [await idCard('2026-01-01')], 'zh-CN');
    if (!plan.ok) throw new Error('no plan');
    const [only] = plan.credentials;
    expect([plan.credentials.length, plan.asked, only!.typeLabel, only!.agency]).toEqual([1, 1, '居民身份证', '南京市公安局']);
    expect(only!.leaving).toEqual([{ key: 'age_over_18', label: expect.stringMatching(/18/), value: true }]);
    expect(only!.planned.disclosePaths).toEqual([['age_over_18']]);
    expect(only!.hidden).toEqual(expect.arrayContaining(['公民身份号码', '出生日期']));
    expect(only!.hidden).not.toContain(only!.leaving[0]!.label);
  });

  it('the first claim set the credential satisfies; the newest answering credential; nothing when none answers', async () => {
    const older = await idCard('2026-01-01');
    const newer = await idCard('2026-06-01');
    const sets = query({
      claims: [
        { id: 'unknown', path: ['no_such_claim'] },
        { id: 'age', path: ['age_over_18'] },
        { id: 'name', path: ['nameZh'] },
      ],
      claim_sets: [['unknown'], ['name', 'age']],
    });
    const plan = proposeClaims(sets, [older, newer], 'en');
    if (!plan.ok) throw new Error('no plan');
    expect(plan.credentials[0]!.stored.id).toBe('2026-06-01');
    expect(plan.credentials[0]!.leaving.map((c) => c.key).sort()).toEqual(['age_over_18', 'nameZh']);
    expect(proposeClaims(query({ claims: [{ path: ['no_such_claim'] }] }), [older], 'en')).toEqual({ ok: false, missing: ['id_card'] });
    expect(proposeClaims(query({ claims: [{ path: ['age_over_18'] }] }), [], 'en')).toEqual({ ok: false, missing: ['id_card'] });
  });

  it('the WebCrypto key presents exactly the planned claims; the verifier’s check accepts the key binding', async () => {
    const card = await idCard('2026-01-01');
    const plan = proposeClaims(query({ claims: [{ path: ['age_over_18'] }] }), [card], 'en');
    if (!plan.ok) throw new Error('no plan');
    const presented = await presentSdJwtVc(card.sdJwt, {
      claimPaths: plan.credentials[0]!.planned.disclosePaths,
      nonce: NONCE,
      audience: AUDIENCE,
      holderAlg: 'ES256',
      holderSigner: (input) => signInput(card.holderKey, input),
      now: NOW,
    });
    const result = await verifySdJwtVc(presented, { resolveIssuerKey, expectedNonce: NONCE, expectedAudience: AUDIENCE, now: NOW });
    expect([result.ok, result.problems]).toEqual([true, []]);
    expect(result.view?.claims).toEqual({ age_over_18: true });
    // The issuer-signed JWT, one disclosure, the Key Binding JWT.
    expect(presented.split('~')).toHaveLength(3);
  });
});
