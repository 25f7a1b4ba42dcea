import { parseCitizenId } from '../citizen-id.js';
import type { ClaimError, CredentialTypeDefinition } from '../definition.js';
import { regionFromAddress } from '../derived/rules.js';
import { CITIZEN_ID_SHAPE, DATE, schemaHeader, text } from '../fields.js';

const TYPE = 'PropertyCredential';
const VERSION = '1.0';

/** One-character province abbreviations (省级行政区简称) that open a certificate number. */
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/**
 * 不动产权证书号, e.g. `苏(2024)南京市不动产权第0012345号`: province abbreviation, registration year in
 * parentheses (ASCII or full-width, as printed certificates use either), the registering city or county,
 * `不动产权第`, a 7-digit serial and `号`.
 */
const CERTIFICATE_NUMBER = {
  type: 'string',
  pattern: `^[${PROVINCES}][(（](?:19|20)[0-9]{2}[)）][\\u{4E00}-\\u{9FFF}]{1,20}不动产权第[0-9]{7}号$`,
} as const;

/**
 * 不动产单元号 per 《不动产单元设定与代码编制规则》 (GB/T 37346-2019), 28 characters: 6-digit county-level
 * region code (GB/T 2260) + 3-digit 地籍区 + 3-digit 地籍子区 + 2-letter 宗地特征码 (ownership G 国家 / J 集体 /
 * Z 未确权, then right type A B C D E F G H S W X Y) + 5-digit 宗地顺序号 + 定着物特征码 (F 房屋, L 林木,
 * Q 其他, W 无定着物) + 8-digit 定着物单元编号, all zeros when there is no fixture (W).
 */
const PARCEL_NUMBER = {
  type: 'string',
  pattern: '^[0-9]{12}[GJZ][ABCDEFGHSWXY][0-9]{5}(?:[FLQ][0-9]{8}|W0{8})$',
} as const;

/** 不动产权证书: real-estate title certificate of the holder, with any co-owners (共有人). */
export const propertyCredential: CredentialTypeDefinition = {
  type: TYPE,
  certificateCode: 3,
  titleChain: true,
  version: VERSION,
  schema: {
    ...schemaHeader(TYPE, VERSION),
    title: 'Real-estate title certificate (不动产权证书)',
    type: 'object',
    properties: {
      certificateNumber: CERTIFICATE_NUMBER,
      parcelNumber: PARCEL_NUMBER,
      address: text(200),
      /** m², at most two decimals as on the certificate. */
      area: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 },
      use: { enum: ['residential', 'commercial', 'industrial', 'office', 'other'] },
      rightType: {
        enum: [
          'state-land-use-and-house-ownership', // 国有建设用地使用权/房屋（构筑物）所有权
          'state-land-use', // 国有建设用地使用权
          'collective-land-use-and-house-ownership', // 集体建设用地使用权/房屋（构筑物）所有权
          'homestead-use-and-house-ownership', // 宅基地使用权/房屋（构筑物）所有权
          'land-contract-management', // 土地承包经营权
          'sea-area-use', // 海域使用权
          'other',
        ],
      },
      /** Owners other than the holder; empty for sole ownership (单独所有). */
      coOwners: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          properties: {
            name: text(100),
            citizenIdNumber: CITIZEN_ID_SHAPE,
            /** Percent of the property, for 按份共有; absent for 共同共有 (joint ownership). */
            share: { type: 'number', exclusiveMinimum: 0, maximum: 100, multipleOf: 0.01 },
          },
          required: ['name'],
          additionalProperties: false,
        },
      },
      registrationDate: DATE,
    },
    required: ['certificateNumber', 'parcelNumber', 'address', 'area', 'use', 'rightType', 'coOwners', 'registrationDate'],
    additionalProperties: false,
  },
  labels: {
    'zh-CN': {
      name: '不动产权证书',
      description: '不动产权利登记信息',
      fields: {
        certificateNumber: '不动产权证书号',
        parcelNumber: '不动产单元号',
        address: '坐落',
        area: '面积（平方米）',
        use: '用途',
        rightType: '权利类型',
        coOwners: '共有人',
        'coOwners.name': '共有人姓名',
        'coOwners.citizenIdNumber': '共有人公民身份号码',
        'coOwners.share': '共有份额（%）',
        registrationDate: '登记日期',
      },
      values: {
        use: { residential: '住宅', commercial: '商业', industrial: '工业', office: '办公', other: '其他' },
        rightType: {
          'state-land-use-and-house-ownership': '国有建设用地使用权/房屋（构筑物）所有权',
          'state-land-use': '国有建设用地使用权',
          'collective-land-use-and-house-ownership': '集体建设用地使用权/房屋（构筑物）所有权',
          'homestead-use-and-house-ownership': '宅基地使用权/房屋（构筑物）所有权',
          'land-contract-management': '土地承包经营权',
          'sea-area-use': '海域使用权',
          other: '其他',
        },
      },
    },
    en: {
      name: 'Real Estate Title Certificate',
      description: 'Registered real-estate rights',
      fields: {
        certificateNumber: 'Certificate number',
        parcelNumber: 'Real-estate unit number',
        address: 'Location',
        area: 'Area (m²)',
        use: 'Use',
        rightType: 'Right type',
        coOwners: 'Co-owners',
        'coOwners.name': 'Co-owner name',
        'coOwners.citizenIdNumber': 'Co-owner citizen ID number',
        'coOwners.share': 'Co-owner share (%)',
        registrationDate: 'Registration date',
      },
      values: {
        use: { residential: 'Residential', commercial: 'Commercial', industrial: 'Industrial', office: 'Office', other: 'Other' },
        rightType: {
          'state-land-use-and-house-ownership': 'State land use right and house ownership',
          'state-land-use': 'State land use right',
          'collective-land-use-and-house-ownership': 'Collective land use right and house ownership',
          'homestead-use-and-house-ownership': 'Homestead use right and house ownership',
          'land-contract-management': 'Land contract management right',
          'sea-area-use': 'Sea area use right',
          other: 'Other',
        },
      },
    },
  },

  /**
   * Derived at issuance: where the property lies, without its address or owners. The province comes from the
   * parcel number's GB/T 2260 county code (reliable), city and district from 坐落.
   */
  derivations: [
    regionFromAddress({
      address: 'address',
      divisionCode: (claims) => (typeof claims.parcelNumber === 'string' ? claims.parcelNumber.slice(0, 6) : undefined),
      parts: ['province', 'city', 'district'],
    }),
  ],

  semanticCheck(claims) {
    const errors: ClaimError[] = [];
    if (!Array.isArray(claims.coOwners)) return errors;
    let shares = 0;
    claims.coOwners.forEach((owner: unknown, i) => {
      if (typeof owner !== 'object' || owner === null) return;
      const { citizenIdNumber, share } = owner as Record<string, unknown>;
      if (citizenIdNumber !== undefined && !parseCitizenId(citizenIdNumber)) {
        errors.push({ path: `/coOwners/${i}/citizenIdNumber`, code: 'citizen_id_invalid', message: 'co-owner citizenIdNumber is not a valid GB 11643-1999 number' });
      }
      if (typeof share === 'number') shares += share;
    });
    // The holder owns a part too, so co-owners' shares add up to less than 100 %. Rounded: shares have 2 decimals.
    if (Math.round(shares * 100) >= 100 * 100) {
      errors.push({ path: '/coOwners', code: 'claim_inconsistent', message: 'co-owners’ shares must add up to less than 100, leaving the holder a share' });
    }
    return errors;
  },
};
