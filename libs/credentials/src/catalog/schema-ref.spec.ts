import { createHash } from 'node:crypto';
import { findTypeBySchemaRef, getCredentialType, listCredentialTypes, schemaDigestSRI, schemaReference } from './index.js';

/**
 * Pinned digests. Issued credentials carry them, so a failure here means a schema changed: bump that type's
 * `version` (old credentials keep the old id and digest), then update the pin.
 */
const PINNED: Record<string, string> = {
  NationalIdCredential: 'sha256-G63zNU0N4dkG/6aQ/Wp3zJqHo9LlAOx8jJpl5Z+78l8=',
  EducationCredential: 'sha256-h2hjIIS8r+6+cYa8t6BFRket2QAaZ8jUgZ0r0xtZi7U=',
  PropertyCredential: 'sha256-ZxvQXR+2sOIUNa9JP86FJ/5FCthJngcml/9XoWwx7vY=',
};

const sri = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

describe('schemaReference', () => {
  it.each(Object.keys(PINNED))('is stable for %s', (type) => {
    const ref = schemaReference(type);
    expect(ref).toEqual({ id: `urn:govcred:schema:${type}:1.0`, type: 'JsonSchema', digestSRI: PINNED[type] });
    expect(schemaReference(type)).toEqual(ref);
    expect(ref.digestSRI).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  });

  it('hands out copies: changing one does not change the next', () => {
    const ref = schemaReference('EducationCredential');
    ref.digestSRI = 'sha256-tampered';
    expect(schemaReference('EducationCredential').digestSRI).toBe(PINNED.EducationCredential);
  });

  it('throws RangeError for an unknown type', () => {
    expect(() => schemaReference('PassportCredential')).toThrow(RangeError);
  });
});

describe('schemaDigestSRI', () => {
  it('hashes the RFC 8785 canonical form', () => {
    expect(schemaDigestSRI({ b: [1, 'ü', { d: true, c: null }], a: 1.5 })).toBe(sri('{"a":1.5,"b":[1,"ü",{"c":null,"d":true}]}'));
  });

  it('ignores key order but not content', () => {
    const schema = getCredentialType('NationalIdCredential')!.schema;
    const reordered = Object.fromEntries(Object.entries(structuredClone(schema)).reverse());
    expect(schemaDigestSRI(reordered)).toBe(schemaReference('NationalIdCredential').digestSRI);

    const changed = structuredClone(schema) as { properties: { address: { maxLength: number } } };
    changed.properties.address.maxLength = 201;
    expect(schemaDigestSRI(changed)).not.toBe(schemaReference('NationalIdCredential').digestSRI);
  });

  it('differs between types', () => {
    const digests = listCredentialTypes().map((d) => schemaReference(d.type).digestSRI);
    expect(new Set(digests).size).toBe(digests.length);
  });
});

describe('findTypeBySchemaRef', () => {
  it.each(Object.keys(PINNED))('finds %s by its reference', (type) => {
    expect(findTypeBySchemaRef(schemaReference(type))?.type).toBe(type);
    expect(findTypeBySchemaRef(JSON.parse(JSON.stringify(schemaReference(type))))?.type).toBe(type);
  });

  const national = schemaReference('NationalIdCredential');
  const changedSchema = structuredClone(getCredentialType('NationalIdCredential')!.schema) as Record<string, unknown>;
  changedSchema.title = 'changed';
  const hostileGetter = Object.defineProperty({}, 'id', {
    get() {
      throw new Error('boom');
    },
    enumerable: true,
  });
  const hostileProxy = new Proxy({}, { get: () => { throw new Error('boom'); } });

  it.each<[string, unknown]>([
    ['a wrong digest', { ...national, digestSRI: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
    ['the digest of a changed schema', { ...national, digestSRI: schemaDigestSRI(changedSchema) }],
    ['another type’s digest', { ...national, digestSRI: schemaReference('PropertyCredential').digestSRI }],
    ['another version', { ...national, id: 'urn:govcred:schema:NationalIdCredential:2.0' }],
    ['an unknown id', { ...national, id: 'urn:govcred:schema:PassportCredential:1.0' }],
    ['another schema type', { ...national, type: 'JsonSchemaCredential' }],
    ['no type', { id: national.id, digestSRI: national.digestSRI }],
    ['no digest', { id: national.id, type: 'JsonSchema' }],
    ['no id', { type: 'JsonSchema', digestSRI: national.digestSRI }],
    ['a numeric id', { ...national, id: 1 }],
    ['a digest array', { ...national, digestSRI: [national.digestSRI] }],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', national.id],
    ['an array', [national]],
    ['an empty object', {}],
    ['a throwing getter', hostileGetter],
    ['a throwing proxy', hostileProxy],
  ])('rejects %s', (_name, ref) => {
    expect(findTypeBySchemaRef(ref)).toBeUndefined();
  });
});
