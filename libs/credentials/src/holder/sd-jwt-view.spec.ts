import { SAMPLE_CLAIMS } from '../../../../test/support/sample-claims.js';
import { ecKey, issue } from '../../../../test/support/sd-jwt-fixtures.js';
import { getCredentialType } from '../catalog/index.js';
import { sdJwtVcClaimView } from './index.js';

const holder = ecKey('P-256');

describe('sdJwtVcClaimView', () => {
  test('every claim of the holder’s own disclosures, derived ones included, labelled in the chosen language', async () => {
    const sdJwt = await issue('NationalIdCredential', SAMPLE_CLAIMS.NationalIdCredential, holder);
    const zh = sdJwtVcClaimView(sdJwt, 'zh-CN')!;
    const en = sdJwtVcClaimView(sdJwt, 'en')!;
    expect(zh).toMatchObject({ format: 'dc+sd-jwt', type: 'NationalIdCredential', typeLabel: '居民身份证', holderKey: holder.jwk, validUntil: '2036-01-01T00:00:00.000Z' });
    expect(zh.statusEntries.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
    const byKey = (view: typeof zh) => Object.fromEntries(view.claims.map((c) => [c.key, c]));
    expect(byKey(zh).nameZh).toEqual({ key: 'nameZh', label: expect.stringMatching(/姓名/), value: '张三' });
    expect(byKey(en).age_over_18).toMatchObject({ value: true, label: expect.stringMatching(/18/) });
    expect(byKey(zh).age_over_18.label).not.toBe(byKey(en).age_over_18.label);
    // A coded value in words, the code kept; a value the catalog has no words for has none.
    expect(byKey(zh).gender).toMatchObject({ value: 'male', valueLabel: '男' });
    expect(byKey(en).gender).toMatchObject({ value: 'male', valueLabel: 'Male' });
    expect(byKey(zh).nameZh.valueLabel).toBeUndefined();
    // In the catalog's order (its fields, then the derived claims), whatever order the disclosures came in.
    const definition = getCredentialType('NationalIdCredential')!;
    const fields = Object.keys(definition.schema.properties as object);
    const derived = (definition.derivations ?? []).flatMap((d) => Object.keys(d.labels.en)).filter((k) => !k.includes('.'));
    expect(zh.claims.map((c) => c.key)).toEqual([...fields, ...derived].filter((k) => k in byKey(zh)));
    // Registered claims are not shown as claims about the citizen.
    expect(en.claims.some((c) => ['iss', 'cnf', 'vct', 'status', 'credential_schema'].includes(c.key))).toBe(false);
  });

  test("a title's structured claims read in words: its co-owners and its region, each member under its label", async () => {
    const sdJwt = await issue('PropertyCredential', SAMPLE_CLAIMS.PropertyCredential, holder);
    const byKey = Object.fromEntries(sdJwtVcClaimView(sdJwt, 'zh-CN')!.claims.map((c) => [c.key, c]));
    expect(byKey.coOwners).toMatchObject({ value: SAMPLE_CLAIMS.PropertyCredential.coOwners, valueLabel: '共有人姓名：王芳，共有人公民身份号码：11010519491231002X，共有份额（%）：50' });
    expect(byKey.region.valueLabel).toBe('省（自治区、直辖市）：江苏省，市（地区、自治州、盟）：南京市，区（县）：玄武区');
    expect(byKey.address.valueLabel).toBeUndefined();
  });

  test('a presented subset shows only what it discloses; junk and tampered text give undefined', async () => {
    const sdJwt = await issue('EducationCredential', SAMPLE_CLAIMS.EducationCredential, holder);
    const [jwt, ...disclosures] = sdJwt.split('~');
    const one = `${jwt}~${disclosures[0]}~`;
    expect(sdJwtVcClaimView(one, 'en')!.claims).toHaveLength(1);
    expect(sdJwtVcClaimView('not an sd-jwt', 'en')).toBeUndefined();
    expect(sdJwtVcClaimView(`${jwt}~${disclosures[0]}~${disclosures[0]}~`, 'en')).toBeUndefined();
    expect(sdJwtVcClaimView(`${jwt}~AAAA~`, 'en')).toBeUndefined();
  });
});
