import { Ajv2020 } from 'ajv/dist/2020.js';
import { getCredentialType, listCredentialTypes, validateClaims } from './index.js';

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
