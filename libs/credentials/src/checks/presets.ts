import { getCredentialType } from '../catalog/registry.js';
import { typeMetadata, vctOf } from '../catalog/vct.js';

/**
 * What a verifier's counter asks a citizen to show: one SD-JWT VC type of the catalog and some of its claims
 * (its own or derived ones), optionally with the values that answer. Presets are the everyday questions; a clerk
 * may also compose one from the claims the verifier is registered for.
 */

/** Languages of the pages. */
export type CheckLanguage = 'zh-CN' | 'en';

/** A claim a check asks for: a path into the SD-JWT VC's claims, and the values that answer it (any, when absent). */
export interface CheckClaim {
  path: string[];
  values?: Array<string | number | boolean>;
}

/** A check ready to be asked: its type, its claims, and the preset it came from (none when composed). */
export interface CounterCheck {
  preset?: CounterPresetId;
  type: string;
  claims: CheckClaim[];
}

export type CounterPresetId = 'over_18' | 'bachelor' | 'property_district' | 'id_check';

/** A preset: the question in plain words, its type, and how its claims are built from the clerk's input. */
export interface CounterPreset {
  id: CounterPresetId;
  type: string;
  labels: Record<CheckLanguage, { name: string; description: string }>;
  /** A value the clerk enters (the district), bounded to a short name. */
  parameter?: { name: 'district'; labels: Record<CheckLanguage, string>; maxLength: number };
  claims(parameter?: string): CheckClaim[];
}

/** ISCED 2011 levels of a bachelor's degree and above (the diploma's derived `degree_level`). */
const BACHELOR_OR_ABOVE = [6, 7, 8];

/** Photo-free fields of the ID card a counter's ID check reads: the ones every card has (the schema's required). */
function requiredFields(type: string): CheckClaim[] {
  const required = (getCredentialType(type)?.schema.required ?? []) as string[];
  return required.map((name) => ({ path: [name] }));
}

/** A district name as printed in an address (玄武区, 江宁区, 昆山市): CJK characters only. */
const DISTRICT = /^[\u4e00-\u9fff]{2,12}$/;

/** The everyday questions of a counter, in the order the page lists them. */
export const COUNTER_PRESETS: readonly CounterPreset[] = [
  {
    id: 'over_18',
    type: 'NationalIdCredential',
    labels: {
      'zh-CN': { name: '是否年满18周岁', description: '只核验“已满18周岁”，不看出生日期和其他信息。' },
      en: { name: 'Over 18', description: 'Checks “aged 18 or over” only: no birth date, nothing else.' },
    },
    claims: () => [{ path: ['age_over_18'], values: [true] }],
  },
  {
    id: 'bachelor',
    type: 'EducationCredential',
    labels: {
      'zh-CN': { name: '是否具有本科及以上学历', description: '只核验学历证书的教育层次（本科、硕士或博士）。' },
      en: { name: "Holds a bachelor's degree", description: "Checks the diploma's level only (bachelor's, master's or doctorate)." },
    },
    claims: () => [{ path: ['degree_level'], values: BACHELOR_OR_ABOVE }],
  },
  {
    id: 'property_district',
    type: 'PropertyCredential',
    labels: {
      'zh-CN': { name: '是否在本区拥有房产', description: '只核验不动产权证书上房产所在的区（县），不看地址和权利人信息。' },
      en: { name: 'Owns a property in this district', description: "Checks the district of the title's property only: no address, no owners." },
    },
    parameter: { name: 'district', labels: { 'zh-CN': '区（县）名称，如：玄武区', en: 'District name, e.g. 玄武区' }, maxLength: 12 },
    claims: (district) => [{ path: ['region', 'district'], values: [district ?? ''] }],
  },
  {
    id: 'id_check',
    type: 'NationalIdCredential',
    labels: {
      'zh-CN': { name: '身份核验', description: '核验居民身份证上的姓名、公民身份号码及证件其他信息。' },
      en: { name: 'ID check', description: 'Checks the name, citizen ID number and the other fields of the ID card.' },
    },
    claims: () => requiredFields('NationalIdCredential'),
  },
];

/** The preset `id`; undefined for anything else (safe on untrusted input). */
export function counterPreset(id: unknown): CounterPreset | undefined {
  return COUNTER_PRESETS.find((preset) => preset.id === id);
}

/** Why a check could not be built from the clerk's input. */
export type CheckInputProblem = 'preset_unknown' | 'parameter_invalid' | 'type_unknown' | 'claims_invalid';

/** The check of preset `id` with the clerk's `parameter` (the district), or why not. */
export function presetCheck(id: unknown, parameter?: unknown): { ok: true; check: CounterCheck } | { ok: false; problem: CheckInputProblem } {
  const preset = counterPreset(id);
  if (!preset) return { ok: false, problem: 'preset_unknown' };
  if (preset.parameter) {
    if (typeof parameter !== 'string' || !DISTRICT.test(parameter.trim())) return { ok: false, problem: 'parameter_invalid' };
    return { ok: true, check: { preset: preset.id, type: preset.type, claims: preset.claims(parameter.trim()) } };
  }
  return { ok: true, check: { preset: preset.id, type: preset.type, claims: preset.claims() } };
}

/** One claim a clerk may pick when composing a check of a type, with its labels from the type's metadata. */
export interface AskableClaim {
  path: string[];
  labels: Record<CheckLanguage, string>;
}

/**
 * The claims of an SD-JWT VC type one may ask for: every selectively disclosable claim of its Type Metadata
 * (own and derived, nested parts such as `region.district` included), without array-element paths (a counter
 * asks for a claim, not for one element of a list).
 */
export function askableClaims(type: string): AskableClaim[] {
  if (!getCredentialType(type)) return [];
  return typeMetadata(type)
    .claims.filter((claim) => claim.sd === 'always' && claim.path.every((segment) => typeof segment === 'string'))
    .map((claim) => {
      const label = (locale: CheckLanguage) => claim.display.find((d) => d.locale === locale)?.label ?? claim.path.join('.');
      return { path: claim.path as string[], labels: { 'zh-CN': label('zh-CN'), en: label('en') } };
    });
}

/** A composed check: `paths` must be askable claims of `type`, at least one, no duplicates. */
export function composedCheck(type: unknown, paths: unknown): { ok: true; check: CounterCheck } | { ok: false; problem: CheckInputProblem } {
  if (typeof type !== 'string' || !getCredentialType(type)) return { ok: false, problem: 'type_unknown' };
  const askable = new Set(askableClaims(type).map((claim) => JSON.stringify(claim.path)));
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > askable.size) return { ok: false, problem: 'claims_invalid' };
  const keys = paths.map((path) => JSON.stringify(path));
  if (new Set(keys).size !== keys.length || keys.some((key) => !askable.has(key))) return { ok: false, problem: 'claims_invalid' };
  return { ok: true, check: { type, claims: (paths as string[][]).map((path) => ({ path: [...path] })) } };
}

/** The id of the one credential query of a counter check (its answer is `vp_token.check`). */
export const CHECK_QUERY_ID = 'check';

/**
 * The DCQL query (OpenID4VP 1.0 §6) of a check: one SD-JWT VC of the type's vct, with its claims and their
 * values. The wallet discloses exactly these claims; the verifier's DCQL check refuses an answer whose values differ.
 */
export function checkDcqlQuery(check: CounterCheck): Record<string, unknown> {
  const definition = getCredentialType(check.type);
  if (!definition) throw new RangeError(`unknown credential type: ${check.type}`);
  return {
    credentials: [
      {
        id: CHECK_QUERY_ID,
        format: 'dc+sd-jwt',
        meta: { vct_values: [vctOf(definition)] },
        claims: check.claims.map((claim) => ({ path: [...claim.path], ...(claim.values ? { values: [...claim.values] } : {}) })),
      },
    ],
  };
}
