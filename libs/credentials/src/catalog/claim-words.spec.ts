import { structuredClaimWords } from './claim-words.js';

describe('structuredClaimWords', () => {
  test("a title's co-owners: each member under its label, items apart, in both languages", () => {
    const coOwners = [{ name: '王芳', citizenIdNumber: '11010519491231002X', share: 50 }, { name: '张伟' }];
    expect(structuredClaimWords('PropertyCredential', 'coOwners', coOwners, 'zh-CN')).toBe(
      '共有人姓名：王芳，共有人公民身份号码：11010519491231002X，共有份额（%）：50；共有人姓名：张伟',
    );
    expect(structuredClaimWords('PropertyCredential', 'coOwners', coOwners, 'en')).toBe(
      'Co-owner name: 王芳, Co-owner citizen ID number: 11010519491231002X, Co-owner share (%): 50; Co-owner name: 张伟',
    );
  });

  test("members read in the catalog's order, whatever order they came in (an SD-JWT VC's disclosures are shuffled)", () => {
    expect(structuredClaimWords('PropertyCredential', 'coOwners', [{ share: 50, name: '王芳' }], 'en')).toBe('Co-owner name: 王芳, Co-owner share (%): 50');
    expect(structuredClaimWords('PropertyCredential', 'region', { district: '玄武区', province: '江苏省' }, 'en')).toBe('Province: 江苏省, District: 玄武区');
  });

  test('no co-owners reads as none; the derived region reads by its members', () => {
    expect(structuredClaimWords('PropertyCredential', 'coOwners', [], 'zh-CN')).toBe('无');
    expect(structuredClaimWords('PropertyCredential', 'coOwners', [], 'en')).toBe('none');
    expect(structuredClaimWords('PropertyCredential', 'region', { province: '江苏省', city: '南京市', district: '玄武区' }, 'zh-CN')).toBe(
      '省（自治区、直辖市）：江苏省，市（地区、自治州、盟）：南京市，区（县）：玄武区',
    );
  });

  test('a plain value, an unknown type, or a member without a label: no words, or the member by its name', () => {
    expect(structuredClaimWords('PropertyCredential', 'address', '南京市玄武区北京东路41号', 'zh-CN')).toBeUndefined();
    expect(structuredClaimWords('PropertyCredential', 'coOwners', null, 'zh-CN')).toBeUndefined();
    expect(structuredClaimWords('NoSuchCredential', 'coOwners', [], 'zh-CN')).toBeUndefined();
    expect(structuredClaimWords('PropertyCredential', 'region', { code: '320102', nested: { x: 1 } }, 'en')).toBe('code: 320102');
  });
});
