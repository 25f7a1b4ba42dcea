import { getCredentialType, validateClaims } from '../index.js';

function makeId(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * (2 ** (17 - i) % 11), 0);
  const value = (12 - (sum % 11)) % 11;
  return first17 + (value === 10 ? 'X' : String(value));
}

const TYPE = 'NationalIdCredential';
const VALID = {
  name: 'ZHANG San',
  nameZh: '张三',
  citizenIdNumber: makeId('32010219900307123'),
  birthDate: '1990-03-07',
  gender: 'male',
  ethnicity: '汉',
  address: '江苏省南京市玄武区中山路1号',
  issuingAuthority: '南京市公安局玄武分局',
  validFrom: '2015-06-01',
  validUntil: '2035-06-01',
};
const without = (key: string) => Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== key));

describe('NationalIdCredential claims', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a complete card', VALID],
    ['a long-term card without ethnicity', { ...without('ethnicity'), validUntil: 'long-term' }],
    [
      'the GB 11643 example number (female, check character X)',
      { ...VALID, citizenIdNumber: '11010519491231002X', birthDate: '1949-12-31', gender: 'female', validFrom: '2010-01-01' },
    ],
    ['a minority name with a middle dot', { ...VALID, name: 'MAIMAITI Aili', nameZh: '买买提·艾力', ethnicity: '维吾尔族' }],
    ['a name with a CJK extension B character', { ...VALID, nameZh: '王𠮷' }],
    ['a name with ü', { ...VALID, name: 'LÜ Xiaoming', nameZh: '吕小明' }],
  ])('accepts %s', (_name, claims) => {
    expect(validateClaims(TYPE, claims)).toEqual({ ok: true });
  });

  it.each<[string, unknown, { path: string; code: string }[]]>([
    ['wrong check character', { ...VALID, citizenIdNumber: VALID.citizenIdNumber.slice(0, 17) + (VALID.citizenIdNumber[17] === '0' ? '1' : '0') }, [{ path: '/citizenIdNumber', code: 'citizen_id_invalid' }]],
    ['impossible birth date 19990230', { ...VALID, citizenIdNumber: makeId('32010219990230123') }, [{ path: '/citizenIdNumber', code: 'citizen_id_invalid' }]],
    ['lowercase x', { ...VALID, citizenIdNumber: '11010519491231002x' }, [{ path: '/citizenIdNumber', code: 'claim_invalid' }]],
    ['ID number of 17 characters', { ...VALID, citizenIdNumber: '32010219900307123' }, [{ path: '/citizenIdNumber', code: 'claim_invalid' }]],
    ['ID number as a number', { ...VALID, citizenIdNumber: 320102199003071234 }, [{ path: '/citizenIdNumber', code: 'claim_invalid' }]],
    ['birthDate not matching the ID', { ...VALID, birthDate: '1990-03-08' }, [{ path: '/birthDate', code: 'claim_inconsistent' }]],
    ['gender not matching the ID', { ...VALID, gender: 'female' }, [{ path: '/gender', code: 'claim_inconsistent' }]],
    ['gender outside the enum', { ...VALID, gender: 'unknown' }, [{ path: '/gender', code: 'claim_invalid' }]],
    ['missing name', without('name'), [{ path: '/name', code: 'claim_missing' }]],
    ['missing citizenIdNumber', without('citizenIdNumber'), [{ path: '/citizenIdNumber', code: 'claim_missing' }]],
    ['missing validUntil', without('validUntil'), [{ path: '/validUntil', code: 'claim_missing' }]],
    ['an extra claim', { ...VALID, passportNumber: 'E12345678' }, [{ path: '/passportNumber', code: 'claim_not_allowed' }]],
    ['an extra claim whose name needs escaping', { ...VALID, 'a/b~c': 1 }, [{ path: '/a~1b~0c', code: 'claim_not_allowed' }]],
    ['an id inside the claims', { ...VALID, id: 'did:ethr:0x7a69:0x0000000000000000000000000000000000000001' }, [{ path: '/id', code: 'claim_not_allowed' }]],
    ['name as an object', { ...VALID, name: { first: 'San' } }, [{ path: '/name', code: 'claim_invalid' }]],
    ['Latin letters in nameZh', { ...VALID, nameZh: 'Zhang San' }, [{ path: '/nameZh', code: 'claim_invalid' }]],
    ['digits in name', { ...VALID, name: 'ZHANG San 2' }, [{ path: '/name', code: 'claim_invalid' }]],
    ['an empty address', { ...VALID, address: '' }, [{ path: '/address', code: 'claim_invalid' }]],
    ['a newline in the address', { ...VALID, address: '南京市\n玄武区' }, [{ path: '/address', code: 'claim_invalid' }]],
    ['an address of 201 characters', { ...VALID, address: '路'.repeat(201) }, [{ path: '/address', code: 'claim_invalid' }]],
    ['birthDate in another format', { ...VALID, birthDate: '1990/03/07' }, [{ path: '/birthDate', code: 'claim_invalid' }]],
    ['validFrom that is not a real date', { ...VALID, validFrom: '2015-02-29' }, [{ path: '/validFrom', code: 'claim_invalid' }]],
    ['validUntil that is not a real date', { ...VALID, validUntil: '2035-02-30' }, [{ path: '/validUntil', code: 'claim_invalid' }]],
    ['validUntil "forever"', { ...VALID, validUntil: 'forever' }, [{ path: '/validUntil', code: 'claim_invalid' }]],
    ['validUntil before validFrom', { ...VALID, validUntil: '2014-06-01' }, [{ path: '/validUntil', code: 'claim_inconsistent' }]],
    ['validFrom before birth', { ...VALID, validFrom: '1989-01-01' }, [{ path: '/validFrom', code: 'claim_inconsistent' }]],
    ['null', null, [{ path: '', code: 'claim_invalid' }]],
    ['an array', [VALID], [{ path: '', code: 'claim_invalid' }]],
    ['a string', JSON.stringify(VALID), [{ path: '', code: 'claim_invalid' }]],
  ])('rejects %s', (_name, claims, expected) => {
    const result = validateClaims(TYPE, claims);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ path, code }) => ({ path, code }))).toEqual(expected);
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it('reports every problem at once', () => {
    const result = validateClaims(TYPE, { ...without('address'), gender: 'female', extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.code).sort()).toEqual(['claim_inconsistent', 'claim_missing', 'claim_not_allowed']);
  });

  describe('expirationDate', () => {
    const expirationDate = (claims: Record<string, unknown>) => getCredentialType(TYPE)!.expirationDate!(claims);

    it('is the end of validUntil in China Standard Time', () => {
      expect(expirationDate(VALID)?.toISOString()).toBe('2035-06-01T16:00:00.000Z');
      expect(expirationDate({ ...VALID, validUntil: '2024-12-31' })?.toISOString()).toBe('2024-12-31T16:00:00.000Z');
    });

    it.each(['long-term', '2035-02-30', 'tomorrow', 42, undefined])('is undefined for validUntil %p', (validUntil) => {
      expect(expirationDate({ ...VALID, validUntil })).toBeUndefined();
    });
  });
});
