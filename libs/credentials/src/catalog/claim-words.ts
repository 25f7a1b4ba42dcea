import { valueLabel } from './definition.js';
import { getCredentialType } from './registry.js';
import { typeMetadata } from './vct.js';

type Lang = 'zh-CN' | 'en';

const PUNCTUATION: Record<Lang, { pair: string; member: string; item: string; none: string }> = {
  'zh-CN': { pair: '：', member: '，', item: '；', none: '无' },
  en: { pair: ': ', member: ', ', item: '; ', none: 'none' },
};

const samePath = (a: ReadonlyArray<string | number | null>, b: ReadonlyArray<string | number | null>) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * A structured claim's value in words, each member under its label from the type's metadata (coded members in
 * their words), for the people who read it: a title's co-owners as `共有人姓名：王芳，共有份额（%）：50`, the derived
 * region as `省（自治区、直辖市）：江苏省，…`. An empty list reads "无" / "none". Undefined for a plain value or a type
 * the catalog does not know: the caller shows the value itself.
 */
export function structuredClaimWords(type: string, key: string, value: unknown, lang: Lang): string | undefined {
  const definition = getCredentialType(type);
  if (!definition || typeof value !== 'object' || value === null) return undefined;
  const claims = typeMetadata(type).claims;
  const p = PUNCTUATION[lang];
  const placeOf = (path: Array<string | null>) => claims.findIndex((c) => samePath(c.path, path));
  const labelOf = (path: Array<string | null>) => claims[placeOf(path)]?.display.find((d) => d.locale === lang)?.label;
  // In the catalog's order, not the object's: an SD-JWT VC's disclosures come in the order the issuer shuffled.
  const order = (base: Array<string | null>) => (name: string) => {
    const place = placeOf([...base, name]);
    return place < 0 ? claims.length : place;
  };
  const members = (object: object, base: Array<string | null>) => {
    const place = order(base);
    return Object.entries(object)
      .filter(([, member]) => member !== null && typeof member !== 'object')
      .sort(([a], [b]) => place(a) - place(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${labelOf([...base, name]) ?? name}${p.pair}${valueLabel(definition, lang, `${key}.${name}`, member) ?? String(member)}`)
      .join(p.member);
  };
  if (!Array.isArray(value)) return members(value, [key]);
  if (value.length === 0) return p.none;
  return value.map((item: unknown) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? members(item, [key, null]) : String(item))).join(p.item);
}
