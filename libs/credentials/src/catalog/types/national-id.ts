import { parseCitizenId } from '../citizen-id.js';
import type { ClaimError, CredentialTypeDefinition } from '../definition.js';
import { ageOver, regionFromAddress } from '../derived/rules.js';
import { CHINESE_NAME, CITIZEN_ID_SHAPE, DATE, ROMANIZED_NAME, endOfChinaDay, schemaHeader, text } from '../fields.js';

const TYPE = 'NationalIdCredential';
const VERSION = '1.0';
/** 有效期限 "长期": cards issued to people aged 46 and over never expire. */
const LONG_TERM = 'long-term';

/**
 * 居民身份证 (resident identity card). Fields follow the card: 姓名, 性别, 民族, 出生, 住址, 公民身份号码 on
 * the front; 签发机关 and 有效期限 on the back. The name is given twice because credentials are read by
 * systems outside China too.
 */
export const nationalIdCredential: CredentialTypeDefinition = {
  type: TYPE,
  certificateCode: 1,
  version: VERSION,
  schema: {
    ...schemaHeader(TYPE, VERSION),
    title: 'Resident identity card (居民身份证)',
    type: 'object',
    properties: {
      name: ROMANIZED_NAME,
      nameZh: CHINESE_NAME,
      citizenIdNumber: CITIZEN_ID_SHAPE,
      birthDate: DATE,
      gender: { enum: ['male', 'female'] },
      ethnicity: text(20),
      address: text(200),
      issuingAuthority: text(100),
      validFrom: DATE,
      validUntil: { anyOf: [DATE, { const: LONG_TERM }] },
    },
    required: ['name', 'nameZh', 'citizenIdNumber', 'birthDate', 'gender', 'address', 'issuingAuthority', 'validFrom', 'validUntil'],
    additionalProperties: false,
  },
  labels: {
    'zh-CN': {
      name: '居民身份证',
      description: '中华人民共和国居民身份证信息',
      fields: {
        name: '姓名（拼音）',
        nameZh: '姓名',
        citizenIdNumber: '公民身份号码',
        birthDate: '出生日期',
        gender: '性别',
        ethnicity: '民族',
        address: '住址',
        issuingAuthority: '签发机关',
        validFrom: '有效期起始日期',
        validUntil: '有效期截止日期',
      },
      values: { gender: { male: '男', female: '女' } },
    },
    en: {
      name: 'Resident Identity Card',
      description: 'Resident identity card of the People’s Republic of China',
      fields: {
        name: 'Name (romanized)',
        nameZh: 'Name (Chinese)',
        citizenIdNumber: 'Citizen ID number',
        birthDate: 'Date of birth',
        gender: 'Gender',
        ethnicity: 'Ethnicity',
        address: 'Address',
        issuingAuthority: 'Issuing authority',
        validFrom: 'Valid from',
        validUntil: 'Valid until',
      },
      values: { gender: { male: 'Male', female: 'Female' } },
    },
  },

  /**
   * Derived at issuance: age thresholds from the birth date, and the region of residence from 住址. Not from
   * the ID number's region code: that is where the number was first registered, not where the holder lives.
   */
  derivations: [ageOver([14, 16, 18, 60, 65], 'birthDate'), regionFromAddress({ address: 'address', parts: ['province', 'city'] })],

  /** The card's 有效期限 end date, inclusive, in China Standard Time; none for 长期 (long-term) cards. */
  expirationDate(claims) {
    return claims.validUntil === LONG_TERM ? undefined : endOfChinaDay(claims.validUntil);
  },

  semanticCheck(claims) {
    const errors: ClaimError[] = [];
    const id = parseCitizenId(claims.citizenIdNumber);
    if (!id) {
      errors.push({
        path: '/citizenIdNumber',
        code: 'citizen_id_invalid',
        message: 'citizenIdNumber is not a valid GB 11643-1999 number (birth date or check character)',
      });
    } else {
      if (typeof claims.birthDate === 'string' && claims.birthDate !== id.birthDate) {
        errors.push({ path: '/birthDate', code: 'claim_inconsistent', message: `birthDate must be ${id.birthDate}, the date in citizenIdNumber` });
      }
      if (typeof claims.gender === 'string' && claims.gender !== id.gender) {
        errors.push({ path: '/gender', code: 'claim_inconsistent', message: `gender must be ${id.gender}, per the 17th digit of citizenIdNumber` });
      }
    }
    // YYYY-MM-DD strings compare in date order.
    const { validFrom, validUntil, birthDate } = claims;
    if (typeof validFrom === 'string' && typeof validUntil === 'string' && validUntil !== LONG_TERM && validUntil <= validFrom) {
      errors.push({ path: '/validUntil', code: 'claim_inconsistent', message: 'validUntil must be after validFrom' });
    }
    if (typeof validFrom === 'string' && typeof birthDate === 'string' && validFrom < birthDate) {
      errors.push({ path: '/validFrom', code: 'claim_inconsistent', message: 'validFrom must not be before birthDate' });
    }
    return errors;
  },
};
