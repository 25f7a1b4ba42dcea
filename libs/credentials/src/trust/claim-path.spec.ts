import { claimPathOfDotted, coversClaimPath, decodeClaimPath, encodeClaimPath } from './claim-path.js';

test.each<[string, unknown]>([
  ['["degree"]', ['degree']],
  ['["address","city"]', ['address', 'city']],
  ['[]', []],
  ['[ "degree" ]', undefined], // not canonical: the same path must always be the same bytes
  ['["degree",]', undefined],
  ['[""]', undefined],
  ['[1]', undefined],
  ['[null]', undefined],
  ['{"0":"degree"}', undefined],
  ['"degree"', undefined],
  [`[${Array(17).fill('"a"').join(',')}]`, undefined],
])('decodeClaimPath(%s)', (text, path) => {
  expect(decodeClaimPath(text)).toEqual(path);
  if (path) expect(encodeClaimPath(path as string[])).toBe(text);
});

test.each<[string[], string[], boolean]>([
  [['address'], ['address', 'city'], true],
  [['address', 'city'], ['address', 'city'], true],
  [['address', 'city'], ['address'], false], // never upwards
  [[], ['anything', 'at', 'all'], true],
  [['address'], [], false],
  [['addr'], ['address'], false],
  [['a', 'b'], ['a', 'c'], false],
])('coversClaimPath(%j, %j) = %s', (registered, requested, covered) => {
  expect(coversClaimPath(registered, requested)).toBe(covered);
});

test('dotted claims of a presentation query become paths; a malformed path is caller misuse', () => {
  expect(claimPathOfDotted('address.city')).toEqual(['address', 'city']);
  expect(() => encodeClaimPath(['a', ''])).toThrow(TypeError);
});
