import { SAMPLE_CLAIMS } from '../../../../../scripts/lib/sample-claims.js';
import { deriveClaims } from '../vct.js';
import { regionOfAddress } from './divisions.js';

/** 00:00 China Standard Time on `date` is 16:00 UTC the day before. */
const chinaMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`));

describe('age_over_NN', () => {
  const ages = (birthDate: string, now: Date) => {
    const derived = deriveClaims('NationalIdCredential', { ...SAMPLE_CLAIMS.NationalIdCredential, birthDate }, now);
    return Object.fromEntries(Object.entries(derived).filter(([k]) => k.startsWith('age_over_')));
  };

  it.each<[string, string, Date, boolean]>([
    ['the day before the 18th birthday (last second, China time)', '2008-03-07', new Date(chinaMidnight('2026-03-07').getTime() - 1000), false],
    ['the 18th birthday at 00:00 China time', '2008-03-07', chinaMidnight('2026-03-07'), true],
    ['the 18th birthday at 23:59 UTC the day before (already the birthday in China)', '2008-03-07', new Date('2026-03-06T16:00:00Z'), true],
    ['a leap-day birth, 28 February of the 18th common year', '2008-02-29', chinaMidnight('2026-02-28'), false],
    ['a leap-day birth, 1 March of the 18th common year', '2008-02-29', chinaMidnight('2026-03-01'), true],
    ['a leap-day birth, 1 March when the 18th year is common', '2000-02-29', chinaMidnight('2018-03-01'), true],
    ['a birthday later in the year', '2008-12-31', chinaMidnight('2026-12-30'), false],
  ])('age_over_18 on %s', (_name, birthDate, now, expected) => {
    expect(ages(birthDate, now).age_over_18).toBe(expected);
  });

  it('gives every threshold', () => {
    expect(ages('1990-03-07', chinaMidnight('2026-01-01'))).toEqual({
      age_over_14: true,
      age_over_16: true,
      age_over_18: true,
      age_over_60: false,
      age_over_65: false,
    });
    expect(ages('1960-01-01', chinaMidnight('2026-01-01'))).toMatchObject({ age_over_60: true, age_over_65: true });
    expect(ages('2012-06-01', chinaMidnight('2026-06-01'))).toMatchObject({ age_over_14: true, age_over_16: false });
  });
});

describe('region', () => {
  it.each<[string, unknown, unknown, Record<string, string>]>([
    ['a province, city and district', '江苏省南京市玄武区中山路1号', undefined, { province: '江苏省', city: '南京市', district: '玄武区' }],
    ['a city whose name ends in 州', '江苏省苏州市姑苏区人民路8号', undefined, { province: '江苏省', city: '苏州市', district: '姑苏区' }],
    ['an autonomous prefecture', '吉林省延边朝鲜族自治州延吉市光明街1号', undefined, { province: '吉林省', city: '延边朝鲜族自治州', district: '延吉市' }],
    ['a league', '内蒙古自治区锡林郭勒盟锡林浩特市1号', undefined, { province: '内蒙古自治区', city: '锡林郭勒盟', district: '锡林浩特市' }],
    ['a municipality', '北京市朝阳区建国路1号', undefined, { province: '北京市', city: '北京市', district: '朝阳区' }],
    ['no province, fixed by the division code', '南京市玄武区北京东路41号', '320102', { province: '江苏省', city: '南京市', district: '玄武区' }],
    ['no district before the street number', '江苏省南京市中山路1号3区', undefined, { province: '江苏省', city: '南京市' }],
    ['no recognisable province', '南京市玄武区中山路1号', undefined, {}],
    ['a province contradicting the division code', '浙江省杭州市西湖区1号', '320102', {}],
    ['not a string', 42, undefined, {}],
  ])('%s', (_name, address, code, expected) => {
    expect(regionOfAddress(address, code)).toEqual(expected);
  });

  it('is province and city only on an ID card (residence, not the ID number’s region)', () => {
    const derived = deriveClaims('NationalIdCredential', { ...SAMPLE_CLAIMS.NationalIdCredential, address: '广东省深圳市南山区科技园1号' }, new Date());
    expect(derived.region).toEqual({ province: '广东省', city: '深圳市' });
  });

  it('is province, city and district for a property (province from the parcel number)', () => {
    const derived = deriveClaims('PropertyCredential', SAMPLE_CLAIMS.PropertyCredential, new Date());
    expect(derived).toEqual({ region: { province: '江苏省', city: '南京市', district: '玄武区' } });
  });

  it('is left out when nothing can be derived', () => {
    const derived = deriveClaims('NationalIdCredential', { ...SAMPLE_CLAIMS.NationalIdCredential, address: '中山路1号' }, new Date());
    expect(derived).not.toHaveProperty('region');
  });
});

describe('education', () => {
  it.each<[string, string, number]>([
    ['associate', '102847202406123456', 5],
    ['bachelor', '102841202405000123', 6],
    ['master', '102841202402000123', 7],
    ['doctor', '102841202401000123', 8],
  ])('degree %s → ISCED level, institution code and year', (degree, certificateNumber, level) => {
    const derived = deriveClaims('EducationCredential', { ...SAMPLE_CLAIMS.EducationCredential, degree, certificateNumber }, new Date());
    expect(derived).toEqual({ degree_level: level, institution_code: '10284', graduation_year: 2024 });
  });

  it('ignores a degree that is not an own key of the table', () => {
    const derived = deriveClaims('EducationCredential', { ...SAMPLE_CLAIMS.EducationCredential, degree: 'constructor' }, new Date());
    expect(derived).not.toHaveProperty('degree_level');
  });
});
