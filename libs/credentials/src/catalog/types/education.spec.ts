import { getCredentialType, validateClaims } from '../index.js';

const TYPE = 'EducationCredential';
const VALID = {
  holderName: 'LI Si',
  holderNameZh: '李四',
  degree: 'bachelor',
  fieldOfStudy: 'Computer Science and Technology',
  institution: 'Nanjing University',
  institutionZh: '南京大学',
  certificateNumber: '102841202405000123', // 10284 南京大学, 1 普通高等教育, 2024, 05 本科, serial 000123
  graduationDate: '2024-06-30',
  studyMode: 'full-time',
};
const without = (key: string) => Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== key));

describe('EducationCredential claims', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a bachelor certificate', VALID],
    ['one without studyMode', without('studyMode')],
    ['a part-time master (adult education)', { ...VALID, degree: 'master', certificateNumber: '102845202302000045', graduationDate: '2023-01-15', studyMode: 'part-time' }],
    ['a doctor', { ...VALID, degree: 'doctor', certificateNumber: '100011201901000007', graduationDate: '2019-07-01' }],
    ['a second bachelor degree (level 04)', { ...VALID, certificateNumber: '102841202404000011' }],
    ['an associate degree via online education', { ...VALID, degree: 'associate', certificateNumber: '102847202406123456' }],
  ])('accepts %s', (_name, claims) => {
    expect(validateClaims(TYPE, claims)).toEqual({ ok: true });
  });

  it.each<[string, unknown, { path: string; code: string }[]]>([
    ['a degree outside the enum', { ...VALID, degree: 'phd' }, [{ path: '/degree', code: 'claim_invalid' }]],
    ['degree "constructor"', { ...VALID, degree: 'constructor' }, [{ path: '/degree', code: 'claim_invalid' }]],
    ['degree "__proto__"', { ...VALID, degree: '__proto__' }, [{ path: '/degree', code: 'claim_invalid' }]],
    ['certificate year not the graduation year', { ...VALID, graduationDate: '2023-06-30' }, [{ path: '/certificateNumber', code: 'claim_inconsistent' }]],
    ['certificate level not the degree', { ...VALID, degree: 'master' }, [{ path: '/certificateNumber', code: 'claim_inconsistent' }]],
    ['a 17-digit certificate number', { ...VALID, certificateNumber: '10284120240500012' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['a self-study certificate layout', { ...VALID, certificateNumber: '102846202405000123' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['an unknown level code', { ...VALID, certificateNumber: '102841202403000123' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['letters in the certificate number', { ...VALID, certificateNumber: '10284120240500012A' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['graduationDate month 13', { ...VALID, graduationDate: '2024-13-01' }, [{ path: '/graduationDate', code: 'claim_invalid' }]],
    ['graduationDate as a timestamp', { ...VALID, graduationDate: 1719705600 }, [{ path: '/graduationDate', code: 'claim_invalid' }]],
    ['studyMode outside the enum', { ...VALID, studyMode: 'online' }, [{ path: '/studyMode', code: 'claim_invalid' }]],
    ['missing institutionZh', without('institutionZh'), [{ path: '/institutionZh', code: 'claim_missing' }]],
    ['missing degree', without('degree'), [{ path: '/degree', code: 'claim_missing' }]],
    ['an extra claim', { ...VALID, gpa: 3.8 }, [{ path: '/gpa', code: 'claim_not_allowed' }]],
    ['holderName as a number', { ...VALID, holderName: 123 }, [{ path: '/holderName', code: 'claim_invalid' }]],
    ['holderNameZh in Latin letters', { ...VALID, holderNameZh: 'Li Si' }, [{ path: '/holderNameZh', code: 'claim_invalid' }]],
  ])('rejects %s', (_name, claims, expected) => {
    const result = validateClaims(TYPE, claims);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ path, code }) => ({ path, code }))).toEqual(expected);
  });

  it('has no expiration', () => {
    expect(getCredentialType(TYPE)!.expirationDate).toBeUndefined();
  });
});
