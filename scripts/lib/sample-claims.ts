/**
 * Valid claims of each catalog type (citizen ID numbers with correct GB 11643-1999 check characters), used by
 * the demo and the tests.
 */
export type SampleType = 'NationalIdCredential' | 'EducationCredential' | 'PropertyCredential';

export const SAMPLE_CLAIMS: Record<SampleType, Record<string, unknown>> = {
  NationalIdCredential: {
    name: 'ZHANG San',
    nameZh: '张三',
    citizenIdNumber: '320102199003071239',
    birthDate: '1990-03-07',
    gender: 'male',
    ethnicity: '汉',
    address: '江苏省南京市玄武区中山路1号',
    issuingAuthority: '南京市公安局玄武分局',
    validFrom: '2015-06-01',
    validUntil: '2035-06-01',
  },
  EducationCredential: {
    holderName: 'LI Si',
    holderNameZh: '李四',
    degree: 'bachelor',
    fieldOfStudy: 'Computer Science and Technology',
    institution: 'Nanjing University',
    institutionZh: '南京大学',
    certificateNumber: '102841202405000123',
    graduationDate: '2024-06-30',
    studyMode: 'full-time',
  },
  PropertyCredential: {
    certificateNumber: '苏(2024)南京市不动产权第0012345号',
    parcelNumber: '320102003005GB00012F00010001',
    address: '南京市玄武区北京东路41号3幢201室',
    area: 89.57,
    use: 'residential',
    rightType: 'state-land-use-and-house-ownership',
    coOwners: [{ name: '王芳', citizenIdNumber: '11010519491231002X', share: 50 }],
    registrationDate: '2024-03-15',
  },
};
