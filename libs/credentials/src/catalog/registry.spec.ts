import { Ajv2020 } from 'ajv/dist/2020.js';
import { getCredentialType, listCredentialTypes, validateClaims, valueLabel } from './index.js';

/** Claim names of a schema, nested ones with dots (`coOwners.share`), as the labels key them. */
/** The coded claims of a schema (an `enum`), keyed as the labels key them, with their codes. */
function codedFields(schema: Record<string, unknown>, prefix = ''): Array<[string, string[]]> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties).flatMap(([name, sub]): Array<[string, string[]]> => {
    const items = sub.items as Record<string, unknown> | undefined;
    const nested = items?.properties ? codedFields(items, `${prefix}${name}.`) : [];
    return [...(Array.isArray(sub.enum) ? [[`${prefix}${name}`, sub.enum.map(String)] as [string, string[]]] : []), ...nested];
  });
}

function fieldNames(schema: Record<string, unknown>, prefix = ''): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties).flatMap(([name, sub]) => {
    const items = sub.items as Record<string, unknown> | undefined;
    const nested = items?.properties ? fieldNames(items, `${prefix}${name}.`) : [];
    return [`${prefix}${name}`, ...nested];
  });
}

describe('catalog registry', () => {
  it('lists the three types in a stable order', () => {
    expect(listCredentialTypes().map((d) => d.type)).toEqual(['NationalIdCredential', 'EducationCredential', 'PropertyCredential']);
  });

  it('returns a copy of the list', () => {
    listCredentialTypes().pop();
    expect(listCredentialTypes()).toHaveLength(3);
  });

  it.each(['PassportCredential', '', '__proto__', 'constructor', 'nationalidcredential'])('does not know %p', (type) => {
    expect(getCredentialType(type)).toBeUndefined();
    expect(() => validateClaims(type, {})).toThrow(RangeError);
  });

  it('says a coded value in words, a derived integer code too, and nothing for a hostile or unknown value', () => {
    const education = getCredentialType('EducationCredential');
    expect(valueLabel(education, 'zh-CN', 'degree', 'bachelor')).toBe('本科');
    expect(valueLabel(education, 'en', 'degree_level', 6)).toBe("Level 6: bachelor's or equivalent");
    expect(valueLabel(education, 'zh-CN', 'degree_level', 8)).toBe('8 级：博士或等同水平');
    for (const value of [6.5, 4, '4', 'constructor', '__proto__', null, {}, [6]]) expect(valueLabel(education, 'en', 'degree_level', value)).toBeUndefined();
    expect(valueLabel(education, 'en', 'graduation_year', 2024)).toBeUndefined();
  });

  describe.each(listCredentialTypes().map((d) => [d.type, d] as const))('%s', (_type, definition) => {
    it('has a strict draft 2020-12 schema for claims without id', () => {
      const schema = definition.schema;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`urn:govcred:schema:${definition.type}:${definition.version}`);
      expect(schema.additionalProperties).toBe(false);
      expect(Object.keys(schema.properties as object)).not.toContain('id');
      // Compiles in a fresh strict ajv too (no ajv-formats: format stays an annotation there).
      expect(() => new Ajv2020({ strict: true, validateFormats: false }).compile(schema)).not.toThrow();
    });

    it.each(['zh-CN', 'en'] as const)('labels the type and every field in %s', (lang) => {
      const labels = definition.labels[lang];
      expect(labels.name.length).toBeGreaterThan(0);
      expect(labels.description.length).toBeGreaterThan(0);
      expect(Object.keys(labels.fields).sort()).toEqual(fieldNames(definition.schema).sort());
      for (const label of Object.values(labels.fields)) expect(label.trim().length).toBeGreaterThan(0);
      // Every code of every coded claim has its words, and nothing else has.
      const coded = codedFields(definition.schema);
      expect(Object.keys(labels.values ?? {}).sort()).toEqual(coded.map(([field]) => field).sort());
      for (const [field, codes] of coded) {
        expect(Object.keys(labels.values![field]!).sort()).toEqual([...codes].sort());
        for (const words of Object.values(labels.values![field]!)) expect(words.trim().length).toBeGreaterThan(0);
      }
      // A derivation's words cover exactly the values it derives from the coded claims (the diploma's ISCED level).
      for (const derivation of definition.derivations ?? []) {
        for (const [claim, words] of Object.entries(derivation.values?.[lang] ?? {})) {
          const produced = new Set(coded.flatMap(([field, codes]) => codes.map((code) => derivation.derive({ [field]: code }, { now: new Date() })[claim])));
          produced.delete(undefined);
          expect([claim, Object.keys(words).sort()]).toEqual([claim, [...produced].map(String).sort()]);
          for (const word of Object.values(words)) expect(word.trim().length).toBeGreaterThan(0);
        }
      }
    });


    it('is frozen', () => {
      expect(() => {
        (definition.schema as { title?: string }).title = 'changed';
      }).toThrow(TypeError);
      expect(Object.isFrozen(definition.labels.en.fields)).toBe(true);
    });

    const junk = [null, undefined, 0, 'claims', true, [], [{}], { nested: { deep: [1, 2, 3] } }, JSON.parse('{"__proto__": {"admin": true}}')];
    it.each(junk.map((j) => [JSON.stringify(j) ?? String(j), j]))('never throws on junk claims %s', (_name, claims) => {
      const result = validateClaims(definition.type, claims);
      expect(result.ok).toBe(false);
      expect(definition.expirationDate?.((claims ?? {}) as Record<string, unknown>)).toBeUndefined();
    });
  });
});
