import { describe, expect, it } from 'vitest';
import { getCredentialType } from '../../../../libs/credentials/src/catalog/registry.js';
import { vctOf } from '../../../../libs/credentials/src/catalog/vct.js';
import { COUNTER_PRESETS, askableClaims, checkDcqlQuery, composedCheck, counterOptions, presetCheck } from '../../../../libs/credentials/src/checks/index.js';
import { parseDcqlQuery, requestedScopes } from '../../../../libs/credentials/src/query/dcql.js';

const vct = (type: string) => vctOf(getCredentialType(type)!);
const build = (id: string, parameter?: string) => {
  const built = presetCheck(id, parameter);
  if (!built.ok) throw new Error(built.problem);
  return checkDcqlQuery(built.check);
};

/** The demo employer's registration (scripts/lib/demo-verifier.ts): education questions and age_over_18. */
const EMPLOYER = [
  { type: 'EducationCredential', claims: [['degree'], ['institution'], ['institutionZh'], ['graduationDate'], ['holderName'], ['holderNameZh']] },
  { type: 'NationalIdCredential', claims: [['age_over_18']] },
];

describe('presets as DCQL queries', () => {
  it('over 18: the ID card’s derived age_over_18, true, and nothing else', () => {
    expect(build('over_18')).toEqual({
      credentials: [{ id: 'check', format: 'dc+sd-jwt', meta: { vct_values: [vct('NationalIdCredential')] }, claims: [{ path: ['age_over_18'], values: [true] }] }],
    });
  });

  it("bachelor's degree: the diploma's degree level, bachelor's or above", () => {
    expect(build('bachelor')).toEqual({
      credentials: [{ id: 'check', format: 'dc+sd-jwt', meta: { vct_values: [vct('EducationCredential')] }, claims: [{ path: ['degree_level'], values: [6, 7, 8] }] }],
    });
  });

  it("property in this district: the title's derived district with the clerk's district; a bad district is refused", () => {
    expect((build('property_district', ' 玄武区 ').credentials as Array<{ claims: unknown }>)[0]!.claims).toEqual([{ path: ['region', 'district'], values: ['玄武区'] }]);
    for (const bad of [undefined, '', 'Xuanwu', '玄', '<script>', '玄武区'.repeat(5)]) expect(presetCheck('property_district', bad)).toEqual({ ok: false, problem: 'parameter_invalid' });
  });

  it('ID check: the name, the citizen ID number and the other fields every card has, no derived claims', () => {
    const paths = (build('id_check').credentials as Array<{ claims: Array<{ path: string[] }> }>)[0]!.claims.map((c) => c.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'nameZh', 'citizenIdNumber', 'birthDate', 'gender']));
    expect(paths.sort()).toEqual([...(getCredentialType('NationalIdCredential')!.schema.required as string[])].sort());
    expect(paths.some((p) => p.startsWith('age_over') || p.startsWith('region'))).toBe(false);
  });

  it.each(COUNTER_PRESETS.map((p) => p.id))('%s is a valid DCQL query naming its catalog type', (id) => {
    const parsed = parseDcqlQuery(build(id, '玄武区'));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(requestedScopes(parsed.query).map((s) => s.type)).toEqual([COUNTER_PRESETS.find((p) => p.id === id)!.type]);
  });

  it('an unknown preset is refused, not thrown', () => {
    expect(presetCheck('over_21')).toEqual({ ok: false, problem: 'preset_unknown' });
    expect(presetCheck('__proto__')).toEqual({ ok: false, problem: 'preset_unknown' });
  });
});

describe('composing within the registration', () => {
  it('offers only the claims the registration covers, per registered type', () => {
    const { compose } = counterOptions({ scope: EMPLOYER });
    expect(compose.map((c) => c.type)).toEqual(['EducationCredential', 'NationalIdCredential']);
    expect(compose[1]!.claims.map((c) => c.path)).toEqual([['age_over_18']]);
    expect(compose[1]!.claims[0]!.labels).toEqual({ 'zh-CN': '已满18周岁', en: 'Aged 18 or over' });
    expect(compose[0]!.claims.map((c) => c.path.join('.')).sort()).toEqual(['degree', 'graduationDate', 'holderName', 'holderNameZh', 'institution', 'institutionZh']);
  });

  it('a registered parent path covers its parts; a whole-credential registration covers every claim', () => {
    const parent = counterOptions({ scope: [{ type: 'PropertyCredential', claims: [['region']] }] });
    expect(parent.compose[0]!.claims.map((c) => c.path.join('.'))).toEqual(['region', 'region.province', 'region.city', 'region.district']);
    const whole = counterOptions({ scope: [{ type: 'PropertyCredential', claims: [[]] }] });
    expect(whole.compose[0]!.claims.map((c) => c.path.join('.'))).toEqual(askableClaims('PropertyCredential').map((c) => c.path.join('.')));
    expect(whole.presets.find((p) => p.id === 'property_district')!.allowed).toBe(true);
  });

  it('presets outside the registration are disabled with the reason and the claims it lacks', () => {
    const { presets } = counterOptions({ scope: EMPLOYER });
    const byId = Object.fromEntries(presets.map((p) => [p.id, p]));
    expect(byId.over_18).toMatchObject({ allowed: true });
    expect(byId.bachelor).toMatchObject({ allowed: false, reason: 'claims_not_registered' });
    expect(byId.bachelor!.refusedClaims!.map((c) => c.labels.en)).toEqual(['Education level (ISCED 2011)']);
    expect(byId.property_district).toMatchObject({ allowed: false, reason: 'type_not_registered' });
    expect(byId.id_check).toMatchObject({ allowed: false, reason: 'claims_not_registered' });
  });

  it('with no registration in force every preset is disabled for that reason and nothing can be composed', () => {
    const options = counterOptions({ refusal: 'withdrawn' });
    expect(options.compose).toEqual([]);
    expect(options.presets.every((p) => !p.allowed && p.reason === 'withdrawn')).toBe(true);
  });

  it('a composed check takes askable claims of a catalog type only', () => {
    expect(composedCheck('NationalIdCredential', [['age_over_18'], ['region', 'city']])).toEqual({
      ok: true,
      check: { type: 'NationalIdCredential', claims: [{ path: ['age_over_18'] }, { path: ['region', 'city'] }] },
    });
    expect(composedCheck('PassportCredential', [['name']])).toEqual({ ok: false, problem: 'type_unknown' });
    for (const bad of [[], [['photo']], [['age_over_18'], ['age_over_18']], [['coOwners', null]], 'age_over_18']) {
      expect(composedCheck('NationalIdCredential', bad)).toEqual({ ok: false, problem: 'claims_invalid' });
    }
  });
});
