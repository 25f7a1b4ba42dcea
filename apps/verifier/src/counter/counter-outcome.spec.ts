import { composedCheck, presetCheck, type VerificationResult } from '../../../../libs/credentials/src/index.js';
import { counterOutcome } from './counter-checks.service.js';

/** A verified presentation of one Education Certificate disclosing `claims`. */
function verified(claims: Record<string, unknown>): VerificationResult {
  return {
    verified: true,
    checks: [{ check: 'signature', status: 'passed', path: 'sdJwtPresentations[0]' }],
    problems: [],
    credentials: [{ path: 'sdJwtPresentations[0]', format: 'dc+sd-jwt', type: 'EducationCredential', issuer: 'did:ethr:0x7a69:0x01', issuanceDate: '2024-07-01T00:00:00Z', claims }],
  } as unknown as VerificationResult;
}

describe('counterOutcome', () => {
  test('a coded value is shown in words in both languages, beside the code; other values have no words', () => {
    const made = composedCheck('EducationCredential', [['degree'], ['fieldOfStudy']]);
    if (!made.ok) throw new Error(made.problem);
    const outcome = counterOutcome(made.check, verified({ degree: 'bachelor', fieldOfStudy: 'Computer Science' }));
    expect(outcome.claims).toEqual([
      { path: ['degree'], labels: { 'zh-CN': '学历层次', en: 'Degree level' }, value: 'bachelor', valueLabels: { 'zh-CN': '本科', en: "Bachelor's" } },
      { path: ['fieldOfStudy'], labels: { 'zh-CN': '专业', en: 'Field of study' }, value: 'Computer Science' },
    ]);
  });

  test("the preset 'holds a bachelor's degree' shows the derived ISCED level in words, the level kept beside them", () => {
    const made = presetCheck('bachelor');
    if (!made.ok) throw new Error(made.problem);
    expect(counterOutcome(made.check, verified({ degree_level: 6 })).claims).toEqual([
      {
        path: ['degree_level'],
        labels: { 'zh-CN': '教育层次（ISCED 2011 等级）', en: 'Education level (ISCED 2011)' },
        value: 6,
        valueLabels: { 'zh-CN': '6 级：学士或等同水平', en: "Level 6: bachelor's or equivalent" },
      },
    ]);
  });

  test('a verified property title with a registered mortgage says so; without one, or refused, nothing is said', () => {
    const made = presetCheck('property_district', '玄武区');
    if (!made.ok) throw new Error(made.problem);
    const title = (encumbered: boolean, ok = true): VerificationResult =>
      ({
        verified: ok,
        checks: [],
        problems: [],
        credentials: [{ type: 'PropertyCredential', claims: { region: { district: '玄武区' } }, ...(encumbered ? { encumbered: true } : {}) }],
      }) as unknown as VerificationResult;
    const mortgaged = counterOutcome(made.check, title(true));
    expect(mortgaged).toMatchObject({ verified: true, encumbered: true });
    expect(mortgaged.claims.map((c) => c.value)).toEqual(['玄武区']);
    expect(counterOutcome(made.check, title(false))).not.toHaveProperty('encumbered');
    // A refused presentation shows no claim and no status of the title.
    expect(counterOutcome(made.check, title(true, false))).not.toHaveProperty('encumbered');
  });

  test("a composed check of a title's co-owners shows them in words, each member under its label", () => {
    const made = composedCheck('PropertyCredential', [['coOwners']]);
    if (!made.ok) throw new Error(made.problem);
    const result = {
      verified: true,
      checks: [],
      problems: [],
      credentials: [{ type: 'PropertyCredential', claims: { coOwners: [{ name: '王芳', share: 50 }] } }],
    } as unknown as VerificationResult;
    expect(counterOutcome(made.check, result).claims[0]!.valueLabels).toEqual({ 'zh-CN': '共有人姓名：王芳，共有份额（%）：50', en: 'Co-owner name: 王芳, Co-owner share (%): 50' });
  });

  test('a value outside the words (or a hostile one) is shown as it is', () => {
    const made = composedCheck('EducationCredential', [['degree']]);
    if (!made.ok) throw new Error(made.problem);
    expect(counterOutcome(made.check, verified({ degree: 'constructor' })).claims[0]).not.toHaveProperty('valueLabels');
    expect(counterOutcome(made.check, verified({ degree: 'phd' })).claims[0]).toMatchObject({ value: 'phd' });
  });
});
