import { describe, expect, it } from 'vitest';
import { getCredentialType } from '../../../../libs/credentials/src/catalog/index.js';
import { SAMPLE_CLAIMS } from '../../../../scripts/lib/sample-claims.js';
import { citizenIdProblem, claimsOf, fieldProblem, formFields, formProblems, listRows, serverProblems } from './schema-form';

// The schemas are the catalog's own, as the issuer serves them.
const nationalId = formFields(getCredentialType('NationalIdCredential')!.schema as never);
const education = formFields(getCredentialType('EducationCredential')!.schema as never);
const property = formFields(getCredentialType('PropertyCredential')!.schema as never);
const coOwners = property.find((f) => f.name === 'coOwners')!;
const asStrings = (claims: Record<string, unknown>) => Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

describe('formFields', () => {
  it('gives each claim an input of its kind, in schema order, with required flags', () => {
    const byName = Object.fromEntries(nationalId.map((f) => [f.name, f]));
    expect(nationalId.map((f) => f.name)).toEqual(Object.keys(SAMPLE_CLAIMS.NationalIdCredential));
    expect(byName.citizenIdNumber.kind).toBe('citizen-id');
    expect(byName.birthDate.kind).toBe('date');
    expect(byName.gender).toMatchObject({ kind: 'select', options: ['male', 'female'], required: true });
    expect(byName.ethnicity.required).toBe(false);
    expect(education.find((f) => f.name === 'degree')?.options).toEqual(['doctor', 'master', 'bachelor', 'associate']);
  });
});

describe('the GB 11643 check as people type', () => {
  it.each([
    ['320102199003071239', undefined],
    ['11010519491231002X', undefined],
    ['320102199003071238', { key: 'field.citizenIdCheck', values: { expected: '9' } }],
    ['11010519491231002x', { key: 'field.citizenIdShape' }],
    ['3201021990030712', { key: 'field.citizenIdShape' }],
    ['320102199002301231', { key: 'field.citizenIdDate' }],
  ])('%s', (id, problem) => {
    expect(citizenIdProblem(id)).toEqual(problem);
  });
});

describe('field checks', () => {
  it('accepts the sample claims of every type and returns them typed as the schema wants', () => {
    for (const type of ['NationalIdCredential', 'EducationCredential', 'PropertyCredential'] as const) {
      const fields = formFields(getCredentialType(type)!.schema as never);
      const values = asStrings(SAMPLE_CLAIMS[type]);
      expect(formProblems(fields, values)).toEqual({});
      expect(claimsOf(fields, values)).toEqual(SAMPLE_CLAIMS[type]);
    }
  });

  it('names the problem of each bad field', () => {
    const values = { ...asStrings(SAMPLE_CLAIMS.NationalIdCredential), nameZh: 'Zhang', birthDate: '1990-02-30', validUntil: 'forever', address: '' };
    expect(formProblems(nationalId, values)).toEqual({
      nameZh: { key: 'field.invalid' },
      birthDate: { key: 'field.date' },
      validUntil: { key: 'field.invalid' },
      address: { key: 'field.required' },
    });
    // The anyOf of validUntil takes its constant too.
    expect(fieldProblem(nationalId.find((f) => f.name === 'validUntil')!, 'long-term')).toBeUndefined();
  });

  it('puts the issuer\'s claim errors on the fields their JSON Pointers name', () => {
    expect(serverProblems({ errors: [{ path: '/citizenIdNumber', code: 'citizen_id_invalid' }, { path: '/nameZh', code: 'claim_missing' }, { path: '', code: 'x' }] })).toEqual({
      citizenIdNumber: { key: 'field.citizenIdShape' },
      nameZh: { key: 'field.required' },
    });
    expect(serverProblems(undefined)).toEqual({});
    // Within a list: which item.
    expect(serverProblems({ errors: [{ path: '/coOwners/1/citizenIdNumber', code: 'citizen_id_invalid' }] })).toEqual({ coOwners: { key: 'field.listItem', values: { item: 2 } } });
  });
});

describe('a list of plain members (the co-owners of a title)', () => {
  it('is entered as items of member inputs, each of its kind, not as JSON', () => {
    expect(coOwners).toMatchObject({ kind: 'list', required: true });
    expect(coOwners.items!.map((m) => [m.name, m.kind, m.required])).toEqual([
      ['name', 'text', true],
      ['citizenIdNumber', 'citizen-id', false],
      ['share', 'number', false],
    ]);
  });

  it('gives typed claims: no items is an empty list (sole ownership), members left empty are left out', () => {
    const values = { ...asStrings(SAMPLE_CLAIMS.PropertyCredential) };
    expect(claimsOf(property, { ...values, coOwners: '' }).coOwners).toEqual([]);
    const typed = JSON.stringify([{ name: '王芳', citizenIdNumber: '11010519491231002X', share: '50' }, { name: '张伟', citizenIdNumber: '', share: '' }]);
    expect(formProblems(property, { ...values, coOwners: typed })).toEqual({});
    expect(claimsOf(property, { ...values, coOwners: typed }).coOwners).toEqual([{ name: '王芳', citizenIdNumber: '11010519491231002X', share: 50 }, { name: '张伟' }]);
  });

  it('names the first item with a problem; a member the item may not have is one; not an array of objects is not JSON of a list', () => {
    const bad = (rows: unknown) => fieldProblem(coOwners, JSON.stringify(rows));
    expect(bad([{ name: '王芳' }, { name: '张伟', citizenIdNumber: '110105194912310021' }])).toEqual({ key: 'field.listItem', values: { item: 2 } });
    expect(bad([{ share: 50 }])).toEqual({ key: 'field.listItem', values: { item: 1 } });
    expect(bad([{ name: '王芳', share: 150 }])).toEqual({ key: 'field.listItem', values: { item: 1 } });
    expect(bad([{ name: '王芳', email: 'w@example.cn' }])).toEqual({ key: 'field.listItem', values: { item: 1 } });
    expect(bad(Array.from({ length: 51 }, () => ({ name: '王芳' })))).toEqual({ key: 'field.tooMany', values: { max: 50 } });
    expect(fieldProblem(coOwners, '{"name":"王芳"}')).toEqual({ key: 'field.json' });
    expect(fieldProblem(coOwners, '[1]')).toEqual({ key: 'field.json' });
    // A CSV cell may give numbers as numbers.
    expect(listRows('[{"name":"王芳","share":50}]')).toEqual([{ name: '王芳', share: '50' }]);
  });
});
