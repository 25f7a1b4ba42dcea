import type { ClaimError, CredentialTypeDefinition } from '../definition.js';
import { lookup, slice, yearOf } from '../derived/rules.js';
import { CHINESE_NAME, DATE, ROMANIZED_NAME, schemaHeader, text } from '../fields.js';

const TYPE = 'EducationCredential';
const VERSION = '1.0';

/** 培养层次代码 (digits 11–12 of the certificate number) allowed for each degree. */
const LEVEL_CODES: Record<string, readonly string[]> = {
  doctor: ['01'], // 博士研究生
  master: ['02'], // 硕士研究生
  bachelor: ['05', '04'], // 本科; 04 = 第二学士学位
  associate: ['06'], // 专科（含高职）
};

/** ISCED 2011 level of each degree (5 short-cycle tertiary, 6 bachelor's, 7 master's, 8 doctoral): comparable abroad. */
const ISCED_LEVELS: Record<string, number> = { associate: 5, bachelor: 6, master: 7, doctor: 8 };

/**
 * 学历证书电子注册号 of a certificate issued by an institution (Ministry of Education electronic registration,
 * 18 digits): 5-digit institution code (学校代码) + 办学类型 (1 普通高等教育, 5 成人高等教育, 7 网络教育) +
 * 4-digit year of issue + 2-digit 培养层次 (01 博士, 02 硕士, 04 第二学士学位, 05 本科, 06 专科) + 6-digit
 * serial. Out of scope in this version: self-study examination certificates (办学类型 6, a different layout)
 * and the 17-digit numbers used before 2002.
 */
const CERTIFICATE_NUMBER = { type: 'string', pattern: '^[0-9]{5}[157][0-9]{4}(?:01|02|04|05|06)[0-9]{6}$' } as const;

/** 学历/学位证书: a higher-education graduation (and degree) certificate. */
export const educationCredential: CredentialTypeDefinition = {
  type: TYPE,
  certificateCode: 2,
  version: VERSION,
  schema: {
    ...schemaHeader(TYPE, VERSION),
    title: 'Higher-education certificate (学历/学位证书)',
    type: 'object',
    properties: {
      holderName: ROMANIZED_NAME,
      holderNameZh: CHINESE_NAME,
      degree: { enum: Object.keys(LEVEL_CODES) },
      fieldOfStudy: text(100),
      institution: text(200),
      institutionZh: text(100),
      certificateNumber: CERTIFICATE_NUMBER,
      graduationDate: DATE,
      studyMode: { enum: ['full-time', 'part-time'] },
    },
    required: ['holderName', 'holderNameZh', 'degree', 'fieldOfStudy', 'institution', 'institutionZh', 'certificateNumber', 'graduationDate'],
    additionalProperties: false,
  },
  labels: {
    'zh-CN': {
      name: '学历学位证书',
      description: '高等教育学历证书及学位信息',
      fields: {
        holderName: '姓名（拼音）',
        holderNameZh: '姓名',
        degree: '学历层次',
        fieldOfStudy: '专业',
        institution: '学校名称（英文）',
        institutionZh: '学校名称',
        certificateNumber: '证书编号',
        graduationDate: '毕业日期',
        studyMode: '学习形式',
      },
      values: {
        degree: { doctor: '博士研究生', master: '硕士研究生', bachelor: '本科', associate: '专科' },
        studyMode: { 'full-time': '全日制', 'part-time': '非全日制' },
      },
    },
    en: {
      name: 'Education Certificate',
      description: 'Higher-education graduation and degree certificate',
      fields: {
        holderName: 'Holder name (romanized)',
        holderNameZh: 'Holder name (Chinese)',
        degree: 'Degree level',
        fieldOfStudy: 'Field of study',
        institution: 'Institution',
        institutionZh: 'Institution (Chinese)',
        certificateNumber: 'Certificate number',
        graduationDate: 'Graduation date',
        studyMode: 'Study mode',
      },
      values: {
        degree: { doctor: 'Doctorate', master: "Master's", bachelor: "Bachelor's", associate: 'Associate (short-cycle)' },
        studyMode: { 'full-time': 'Full-time', 'part-time': 'Part-time' },
      },
    },
  },

  /** Derived at issuance: what an employer checks (level, institution, year) without the graduate's identity. */
  derivations: [
    lookup('degree', 'degree_level', ISCED_LEVELS, { 'zh-CN': '教育层次（ISCED 2011 等级）', en: 'Education level (ISCED 2011)' }, {
      // The names of ISCED 2011 levels 5–8 (UNESCO), with the number an employer abroad compares.
      'zh-CN': { '5': '5 级：短线高等教育', '6': '6 级：学士或等同水平', '7': '7 级：硕士或等同水平', '8': '8 级：博士或等同水平' },
      en: { '5': 'Level 5: short-cycle tertiary', '6': "Level 6: bachelor's or equivalent", '7': "Level 7: master's or equivalent", '8': 'Level 8: doctoral or equivalent' },
    }),
    slice('certificateNumber', 0, 5, 'institution_code', { 'zh-CN': '学校代码', en: 'Institution code' }),
    yearOf('graduationDate', 'graduation_year', { 'zh-CN': '毕业年份', en: 'Graduation year' }),
  ],

  /** The certificate number repeats the year of issue and the level; both must agree with the claims. */
  semanticCheck(claims) {
    const errors: ClaimError[] = [];
    const { certificateNumber: number, graduationDate, degree } = claims;
    if (typeof number !== 'string' || number.length !== 18) return errors;
    if (typeof graduationDate === 'string' && number.slice(6, 10) !== graduationDate.slice(0, 4)) {
      errors.push({ path: '/certificateNumber', code: 'claim_inconsistent', message: 'certificateNumber digits 7–10 must be the year of graduationDate' });
    }
    // hasOwn: a hostile degree such as `constructor` must not reach Object.prototype.
    const levels = typeof degree === 'string' && Object.hasOwn(LEVEL_CODES, degree) ? LEVEL_CODES[degree] : undefined;
    if (levels && !levels.includes(number.slice(10, 12))) {
      errors.push({ path: '/certificateNumber', code: 'claim_inconsistent', message: `certificateNumber digits 11–12 must be ${levels.join(' or ')} for degree ${String(degree)}` });
    }
    return errors;
  },
};
