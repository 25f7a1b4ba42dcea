import { TypeMetadataFormatSchema } from '@sd-jwt/sd-jwt-vc';
import { findTypeByVct, listCredentialTypes, selectivelyDisclosableClaims, typeMetadata, vctOf } from './index.js';

describe('vct and Type Metadata', () => {
  it('gives each type a stable URN vct that maps back to it', () => {
    expect(listCredentialTypes().map(vctOf)).toEqual([
      'urn:govcred:vct:NationalIdCredential:1',
      'urn:govcred:vct:EducationCredential:1',
      'urn:govcred:vct:PropertyCredential:1',
    ]);
    for (const definition of listCredentialTypes()) expect(findTypeByVct(vctOf(definition))).toBe(definition);
    expect(findTypeByVct('urn:govcred:vct:NationalIdCredential:2')).toBeUndefined();
    expect(findTypeByVct({ toString: () => 'urn:govcred:vct:NationalIdCredential:1' })).toBeUndefined();
  });

  it('makes every claim and every derived claim selectively disclosable', () => {
    expect(selectivelyDisclosableClaims('NationalIdCredential')).toEqual([
      'name', 'nameZh', 'citizenIdNumber', 'birthDate', 'gender', 'ethnicity', 'address', 'issuingAuthority', 'validFrom', 'validUntil',
      'age_over_14', 'age_over_16', 'age_over_18', 'age_over_60', 'age_over_65', 'region',
    ]);
    expect(selectivelyDisclosableClaims('EducationCredential')).toEqual(expect.arrayContaining(['degree_level', 'institution_code', 'graduation_year']));
    expect(selectivelyDisclosableClaims('PropertyCredential')).toEqual(expect.arrayContaining(['coOwners', 'region']));
  });

  it.each(listCredentialTypes().map((d) => d.type))('%s metadata passes the SD-JWT VC library’s schema and labels every claim in both languages', (type) => {
    const metadata = typeMetadata(type);
    expect(TypeMetadataFormatSchema.safeParse(metadata).success).toBe(true);
    expect(metadata.display.map((d) => d.locale)).toEqual(['zh-CN', 'en']);
    for (const claim of metadata.claims) {
      expect(claim.display.map((d) => d.locale)).toEqual(['zh-CN', 'en']);
      for (const { label } of claim.display) expect(label.length).toBeGreaterThan(0);
    }
    const always = metadata.claims.filter((c) => c.sd === 'always' && c.path.length === 1).map((c) => c.path[0]);
    expect(always).toEqual(selectivelyDisclosableClaims(type));
    expect(metadata.claims.filter((c) => c.sd === 'never').map((c) => c.path[0])).toEqual(['iss', 'iat', 'nbf', 'exp', 'cnf', 'status', 'credential_schema']);
  });

  it('describes nested parts with claim paths', () => {
    const paths = typeMetadata('PropertyCredential').claims.map((c) => JSON.stringify(c.path));
    expect(paths).toEqual(expect.arrayContaining(['["coOwners",null]', '["coOwners",null,"citizenIdNumber"]', '["region","district"]']));
    const national = typeMetadata('NationalIdCredential').claims.find((c) => JSON.stringify(c.path) === '["age_over_18"]');
    expect(national?.display).toEqual([{ locale: 'zh-CN', label: '已满18周岁' }, { locale: 'en', label: 'Aged 18 or over' }]);
  });
});
