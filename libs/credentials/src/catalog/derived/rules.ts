import type { ClaimDerivation } from '../definition.js';
import { parseIsoDate } from '../fields.js';
import { regionOfAddress, type AddressRegion } from './divisions.js';

/**
 * Building blocks for the derivations a type declares in its file (`derivations: [ageOver(...), ...]`).
 * Each returns only what it can derive from validated claims; nothing is guessed.
 */

/** China Standard Time (UTC+8, no daylight saving): a birthday is a date there. */
const CHINA_UTC_OFFSET_MS = 8 * 3600 * 1000;

/** The calendar date of `instant` in China Standard Time. */
function chinaDate(instant: Date): { year: number; month: number; day: number } {
  const local = new Date(instant.getTime() + CHINA_UTC_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/**
 * Whether someone born on `birth` is at least `years` old on the China date of `now`: the Nth birthday is
 * reached at 00:00 China Standard Time on that date; someone born on 29 February turns N on 1 March in a
 * common year (comparing month and day as a pair gives exactly that).
 */
export function isAtLeast(birth: { year: number; month: number; day: number }, years: number, now: Date): boolean {
  const today = chinaDate(now);
  const age = today.year - birth.year;
  if (age !== years) return age > years;
  return today.month > birth.month || (today.month === birth.month && today.day >= birth.day);
}

/**
 * `age_over_NN` booleans (the names of ISO/IEC 18013-5 and SD-JWT VC PID practice) from a `YYYY-MM-DD` claim.
 * They are true or false at issuance: `true` stays true, `false` goes stale on the birthday, so a verifier
 * should ask for thresholds the holder meets (a wallet refreshes credentials that carry a `false`).
 */
export function ageOver(thresholds: readonly number[], birthDateClaim: string): ClaimDerivation {
  const names = thresholds.map((n) => `age_over_${n}`);
  return {
    claims: names,
    labels: {
      'zh-CN': Object.fromEntries(thresholds.map((n) => [`age_over_${n}`, `已满${n}周岁`])),
      en: Object.fromEntries(thresholds.map((n) => [`age_over_${n}`, `Aged ${n} or over`])),
    },
    derive(claims, { now }) {
      const birth = parseIsoDate(claims[birthDateClaim]);
      if (!birth) return {};
      return Object.fromEntries(thresholds.map((n) => [`age_over_${n}`, isAtLeast(birth, n, now)]));
    },
  };
}

const REGION_LABELS = {
  'zh-CN': { region: '所在地区', 'region.province': '省（自治区、直辖市）', 'region.city': '市（地区、自治州、盟）', 'region.district': '区（县）' },
  en: { region: 'Region', 'region.province': 'Province', 'region.city': 'City', 'region.district': 'District' },
} as const;

/**
 * `region: {province, city[, district]}` from an address claim, with the province fixed by a GB/T 2260
 * division code when the type carries one. Each part is its own disclosure, so a verifier may see the
 * province only. Left out when the address names no recognisable province.
 */
export function regionFromAddress(options: {
  address: string;
  /** Reads a 6-digit GB/T 2260 code from the claims, when the type has one (e.g. the first 6 of a parcel number). */
  divisionCode?: (claims: Record<string, unknown>) => unknown;
  parts: ReadonlyArray<keyof AddressRegion>;
}): ClaimDerivation {
  const pick = (labels: Record<string, string>) =>
    Object.fromEntries(Object.entries(labels).filter(([key]) => key === 'region' || options.parts.some((part) => key === `region.${part}`)));
  return {
    claims: ['region'],
    labels: { 'zh-CN': pick(REGION_LABELS['zh-CN']), en: pick(REGION_LABELS.en) },
    derive(claims) {
      const found = regionOfAddress(claims[options.address], options.divisionCode?.(claims));
      const region = Object.fromEntries(options.parts.filter((part) => found[part] !== undefined).map((part) => [part, found[part]]));
      return Object.keys(region).length > 0 ? { region } : {};
    },
  };
}

/** `<name>: <year>` (a number) from a `YYYY-MM-DD` claim, e.g. `graduation_year` without the exact date. */
export function yearOf(dateClaim: string, name: string, labels: Record<'zh-CN' | 'en', string>): ClaimDerivation {
  return {
    claims: [name],
    labels: { 'zh-CN': { [name]: labels['zh-CN'] }, en: { [name]: labels.en } },
    derive(claims) {
      const date = parseIsoDate(claims[dateClaim]);
      return date ? { [name]: date.year } : {};
    },
  };
}

/** `<name>: table[claims[claim]]`: a value looked up from an enumerated claim (own keys only). */
export function lookup(
  claim: string,
  name: string,
  table: Readonly<Record<string, unknown>>,
  labels: Record<'zh-CN' | 'en', string>,
  /** Words for the values of `table`, per language, keyed by value (`String(6)` for a number). */
  values?: Record<'zh-CN' | 'en', Record<string, string>>,
): ClaimDerivation {
  return {
    claims: [name],
    labels: { 'zh-CN': { [name]: labels['zh-CN'] }, en: { [name]: labels.en } },
    ...(values ? { values: { 'zh-CN': { [name]: values['zh-CN'] }, en: { [name]: values.en } } } : {}),
    derive(claims) {
      const key = claims[claim];
      // hasOwn: a hostile value such as `constructor` must not reach Object.prototype.
      return typeof key === 'string' && Object.hasOwn(table, key) ? { [name]: table[key] } : {};
    },
  };
}

/** `<name>: claims[claim].slice(start, end)`: a fixed-position field of a structured number. */
export function slice(claim: string, start: number, end: number, name: string, labels: Record<'zh-CN' | 'en', string>): ClaimDerivation {
  return {
    claims: [name],
    labels: { 'zh-CN': { [name]: labels['zh-CN'] }, en: { [name]: labels.en } },
    derive(claims) {
      const value = claims[claim];
      return typeof value === 'string' && value.length >= end ? { [name]: value.slice(start, end) } : {};
    },
  };
}
