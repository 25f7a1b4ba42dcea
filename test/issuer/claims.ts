/** Valid sample claims per catalog type (the citizen ID numbers carry correct GB 11643-1999 check characters). */
export const CLAIMS: Record<string, Record<string, unknown>> = {
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

/** A VC-API issue request for `type` to `subject`. */
export function issueRequest(type: string, subject: string, claims: Record<string, unknown> = CLAIMS[type]) {
  return { credential: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', type], credentialSubject: { id: subject, ...claims } } };
}

/** A holder DID on the test chain (address form). */
export function holderDid(i: number): string {
  return `did:ethr:0x7a69:0x${(0x1000 + i).toString(16).padStart(40, '0')}`;
}
