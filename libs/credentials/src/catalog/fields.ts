/**
 * Schema fragments shared by the catalog's types. Each type's schema is a self-contained JSON value (no
 * external `$ref`), because its canonical form is hashed into every credential's `credentialSchema.digestSRI`.
 */

/** CJK ideographs incl. extensions A–H and compatibility ideographs, plus 〇; rare name characters live in ext. B+. */
const HAN = '\\u{3400}-\\u{4DBF}\\u{4E00}-\\u{9FFF}\\u{F900}-\\u{FAFF}\\u{20000}-\\u{323AF}\\u{3007}';

/** Free text on one line: no control characters, no leading or trailing white space. */
export function text(maxLength: number): Record<string, unknown> {
  return { type: 'string', minLength: 1, maxLength, pattern: '^[^\\p{Cc}\\s](?:[^\\p{Cc}]*[^\\p{Cc}\\s])?$' };
}

/** A name in Latin letters (Hanyu Pinyin as on a passport, e.g. `ZHANG San`, `LYU Xiaoming`). */
export const ROMANIZED_NAME = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: "^[A-Za-zÜü]+(?:[ '\\-.·][A-Za-zÜü]+)*$",
} as const;

/** A name in Chinese characters; minority names join parts with the middle dot, e.g. `买买提·艾力`. */
export const CHINESE_NAME = {
  type: 'string',
  minLength: 1,
  maxLength: 50,
  pattern: `^[${HAN}]+(?:·[${HAN}]+)*$`,
} as const;

/**
 * Shape of a 公民身份号码 only (18 characters, last may be `X`). Birth date and check character are checked by
 * the type's `semanticCheck`, so a well-shaped but wrong number gets the specific code `citizen_id_invalid`.
 */
export const CITIZEN_ID_SHAPE = { type: 'string', pattern: '^[0-9]{17}[0-9X]$' } as const;

/** RFC 3339 full-date (`YYYY-MM-DD`, a real calendar date; ajv-formats checks month lengths and leap years). */
export const DATE = { type: 'string', format: 'date' } as const;

/** A calendar date split into numbers; `undefined` unless `value` is a real `YYYY-MM-DD` date. */
export function parseIsoDate(value: unknown): { year: number; month: number; day: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999; an overflowing day rolls over.
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** China Standard Time (UTC+8, no daylight saving) — Chinese documents' dates are local dates there. */
const CHINA_UTC_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The instant a document valid "until `date`" (inclusive) stops being valid: the end of that day in China
 * Standard Time, i.e. `date`T16:00:00Z. `undefined` when `date` is not a real `YYYY-MM-DD` date.
 */
export function endOfChinaDay(date: unknown): Date | undefined {
  const d = parseIsoDate(date);
  if (!d) return undefined;
  const nextDay = Date.UTC(d.year, d.month - 1, d.day + 1);
  return new Date(nextDay - CHINA_UTC_OFFSET_MS);
}

/** JSON Pointer segment per RFC 6901 §3 (`~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The standard `$schema` and `$id` members of a catalog schema. */
export function schemaHeader(type: string, version: string): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `urn:govcred:schema:${type}:${version}` };
}
