import { readPresentationQuery } from './read-query.js';

const query = () => ({ credentials: [{ type: 'EducationCredential', claims: ['degree_level'] }] });

test('a query read again is the same frozen read (the recent reads are kept), and is still right', () => {
  const first = readPresentationQuery(query());
  const again = readPresentationQuery(query());
  expect(again).toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
  if (!first.ok) throw new Error('the query should read');
  expect(Object.isFrozen(first.query.dcql.credentials[0])).toBe(true);
  expect(() => (first.query.entries as unknown as unknown[]).push({})).toThrow(TypeError);
  expect(first.query.scopes).toEqual([{ type: 'EducationCredential', label: 'EducationCredential', paths: [['degree_level']] }]);
});

test('another query is read on its own; a refused query is refused again with the same errors', () => {
  const other = readPresentationQuery({ credentials: [{ type: 'EducationCredential', claims: ['institution'] }] });
  expect(other.ok && other.query.scopes[0].paths).toEqual([['institution']]);
  const bad = { credentials: [{ type: 'EducationCredential', claims: ['__proto__'] }] };
  const refused = readPresentationQuery(bad);
  expect(refused.ok).toBe(false);
  expect(readPresentationQuery(bad)).toEqual(refused);
});

test('more distinct queries than are kept: every one still reads right', () => {
  for (let i = 0; i < 300; i++) {
    const read = readPresentationQuery({ credentials: [{ type: 'NationalIdCredential', claims: [`age_over_${i}`] }] });
    expect(read.ok && read.query.scopes[0].paths).toEqual([[`age_over_${i}`]]);
  }
  expect(readPresentationQuery(query())).toEqual(readPresentationQuery(query()));
});
