import type { VerifierRegistrationInput } from '../../libs/credentials/src/index.js';

/** The demo employer's registration: education questions and whether the holder is over 18. */
export const EMPLOYER_SCOPE: Pick<VerifierRegistrationInput, 'name' | 'purpose' | 'credentials'> = {
  name: { 'zh-CN': '示例用人单位', en: 'Example Employer' },
  purpose: { 'zh-CN': '核验应聘者学历及是否年满18周岁', en: "Checks an applicant's education and that they are over 18" },
  credentials: [
    { type: 'EducationCredential', claims: [['degree'], ['institution'], ['institutionZh'], ['graduationDate'], ['holderName'], ['holderNameZh']] },
    { type: 'NationalIdCredential', claims: [['age_over_18']] },
  ],
};
