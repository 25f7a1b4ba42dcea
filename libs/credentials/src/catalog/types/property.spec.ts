import { validateClaims } from '../index.js';

const TYPE = 'PropertyCredential';
const VALID = {
  certificateNumber: '苏(2024)南京市不动产权第0012345号',
  parcelNumber: '320102003005GB00012F00010001',
  address: '南京市玄武区北京东路41号3幢201室',
  area: 89.57,
  use: 'residential',
  rightType: 'state-land-use-and-house-ownership',
  coOwners: [{ name: '王芳', citizenIdNumber: '11010519491231002X', share: 50 }],
  registrationDate: '2024-03-15',
};
const without = (key: string) => Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== key));

describe('PropertyCredential claims', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a flat with one co-owner', VALID],
    ['sole ownership (no co-owners)', { ...VALID, coOwners: [] }],
    ['joint ownership (co-owner without share or ID)', { ...VALID, coOwners: [{ name: '王芳' }] }],
    ['full-width parentheses in the certificate number', { ...VALID, certificateNumber: '京（2023）朝阳区不动产权第0000001号' }],
    ['land without fixtures (W + zeros)', { ...VALID, parcelNumber: '320102003005GB00012W00000000', rightType: 'state-land-use', use: 'industrial' }],
    ['collective homestead', { ...VALID, parcelNumber: '320115101002JC00088F00010001', rightType: 'homestead-use-and-house-ownership' }],
    ['areas with two decimals', { ...VALID, area: 123.45 }],
    ['a small area', { ...VALID, area: 0.07 }],
    ['an integer area', { ...VALID, area: 120 }],
    ['shares adding up to just under 100', { ...VALID, coOwners: [{ name: '王芳', share: 33.33 }, { name: '张伟', share: 33.33 }] }],
  ])('accepts %s', (_name, claims) => {
    expect(validateClaims(TYPE, claims)).toEqual({ ok: true });
  });

  it.each<[string, unknown, { path: string; code: string }[]]>([
    ['a negative area', { ...VALID, area: -5 }, [{ path: '/area', code: 'claim_invalid' }]],
    ['a zero area', { ...VALID, area: 0 }, [{ path: '/area', code: 'claim_invalid' }]],
    ['an area with three decimals', { ...VALID, area: 89.575 }, [{ path: '/area', code: 'claim_invalid' }]],
    ['an area as a string', { ...VALID, area: '89.57' }, [{ path: '/area', code: 'claim_invalid' }]],
    ['a parcel number of 27 characters', { ...VALID, parcelNumber: '320102003005GB00012F0001000' }, [{ path: '/parcelNumber', code: 'claim_invalid' }]],
    ['a parcel number with lowercase letters', { ...VALID, parcelNumber: '320102003005gb00012f00010001' }, [{ path: '/parcelNumber', code: 'claim_invalid' }]],
    ['a parcel number with an unknown ownership letter', { ...VALID, parcelNumber: '320102003005KB00012F00010001' }, [{ path: '/parcelNumber', code: 'claim_invalid' }]],
    ['a parcel number with an unknown fixture letter', { ...VALID, parcelNumber: '320102003005GB00012Z00010001' }, [{ path: '/parcelNumber', code: 'claim_invalid' }]],
    ['no fixture (W) with a unit number', { ...VALID, parcelNumber: '320102003005GB00012W00010001' }, [{ path: '/parcelNumber', code: 'claim_invalid' }]],
    ['a certificate number with an unknown province', { ...VALID, certificateNumber: '英(2024)南京市不动产权第0012345号' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['a certificate number with a 6-digit serial', { ...VALID, certificateNumber: '苏(2024)南京市不动产权第012345号' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['an old-style house certificate number', { ...VALID, certificateNumber: '宁房权证玄字第123456号' }, [{ path: '/certificateNumber', code: 'claim_invalid' }]],
    ['use outside the enum', { ...VALID, use: 'farm' }, [{ path: '/use', code: 'claim_invalid' }]],
    ['rightType outside the enum', { ...VALID, rightType: 'lease' }, [{ path: '/rightType', code: 'claim_invalid' }]],
    ['missing coOwners', without('coOwners'), [{ path: '/coOwners', code: 'claim_missing' }]],
    ['coOwners as an object', { ...VALID, coOwners: { name: '王芳' } }, [{ path: '/coOwners', code: 'claim_invalid' }]],
    ['a co-owner without name', { ...VALID, coOwners: [{ share: 50 }] }, [{ path: '/coOwners/0/name', code: 'claim_missing' }]],
    ['a co-owner with an extra field', { ...VALID, coOwners: [{ name: '王芳', email: 'w@example.cn' }] }, [{ path: '/coOwners/0/email', code: 'claim_not_allowed' }]],
    ['a co-owner with a wrong check character', { ...VALID, coOwners: [{ name: '王芳' }, { name: '张伟', citizenIdNumber: '110105194912310021' }] }, [{ path: '/coOwners/1/citizenIdNumber', code: 'citizen_id_invalid' }]],
    ['a share over 100', { ...VALID, coOwners: [{ name: '王芳', share: 150 }] }, [{ path: '/coOwners/0/share', code: 'claim_invalid' }]],
    ['shares leaving nothing to the holder', { ...VALID, coOwners: [{ name: '王芳', share: 60 }, { name: '张伟', share: 40 }] }, [{ path: '/coOwners', code: 'claim_inconsistent' }]],
    ['registrationDate 2024-02-30', { ...VALID, registrationDate: '2024-02-30' }, [{ path: '/registrationDate', code: 'claim_invalid' }]],
    ['an extra claim', { ...VALID, price: 3000000 }, [{ path: '/price', code: 'claim_not_allowed' }]],
  ])('rejects %s', (_name, claims, expected) => {
    const result = validateClaims(TYPE, claims);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ path, code }) => ({ path, code }))).toEqual(expected);
  });

  it('rejects too many co-owners', () => {
    const coOwners = Array.from({ length: 51 }, (_, i) => ({ name: `共有人${i}` }));
    const result = validateClaims(TYPE, { ...VALID, coOwners });
    expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/coOwners', code: 'claim_invalid' })] });
  });
});
