import { parse as parseDidUrl } from 'did-resolver';
import { validateClaims } from '../catalog/validate.js';
import { parseEthrDid } from '../did/ethr-did.js';
import { decodeJwt } from './jwt.js';
import { JWT_LIMITS, checkJsonShape, nestedDeeperThan, quoted } from './limits.js';
import { PRESENTATION_QUERY_SCHEMA } from '../query/presentation-query.js';

describe('checkJsonShape', () => {
  test.each<[string, string, string]>([
    ['flat object', '{"a":1,"b":[1,2,3]}', 'ok'],
    ['exactly at the depth limit', `${'['.repeat(JWT_LIMITS.jsonDepth)}${']'.repeat(JWT_LIMITS.jsonDepth)}`, 'ok'],
    ['one level deeper', `${'['.repeat(JWT_LIMITS.jsonDepth + 1)}${']'.repeat(JWT_LIMITS.jsonDepth + 1)}`, 'too_deep'],
    ['20,000 levels', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, 'too_deep'],
    ['wide object', `{${Array.from({ length: JWT_LIMITS.jsonValues + 1 }, (_, i) => `"k${i}":0`).join(',')}}`, 'too_many_values'],
    ['many empty arrays', `[${'[],'.repeat(JWT_LIMITS.jsonValues)}[]]`, 'too_many_values'],
    ['brackets and commas inside strings', `["${'[{,'.repeat(10_000)}\\"]"]`, 'ok'],
    ['escaped backslash before a closing quote', '["a\\\\",[[1]]]', 'ok'],
  ])('%s → %s', (_name, text, expected) => {
    const result = checkJsonShape(text);
    expect(result.ok ? 'ok' : result.reason).toBe(expected);
  });
});

test('nestedDeeperThan walks parsed values without recursion, even 100,000 levels deep', () => {
  expect(nestedDeeperThan(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 64)).toBe(true);
  expect(nestedDeeperThan({ a: [{ b: 1 }], c: 'x' }, 3)).toBe(false);
  expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  expect(nestedDeeperThan('just a string', 0)).toBe(false);
});

test('quoted cuts long strings and names structures', () => {
  expect(quoted('x'.repeat(1000), 10)).toBe(`"${'x'.repeat(10)}…"`);
  expect(quoted({ a: 1 })).toBe('an object');
  expect(quoted(undefined)).toBe('undefined');
});

/**
 * Linear time on the verification path: each reader or pattern that sees untrusted strings gets the inputs
 * that drive backtracking patterns quadratic (long runs the pattern can split many ways, ended by a character
 * it refuses), 200,000 characters long. A quadratic pattern needs seconds to tens of seconds for these (did-jwt-vc's
 * JWT_FORMAT: ~15 s); linear ones need milliseconds. The bound is loose so a busy machine does not fail it.
 */
describe('no super-linear work on hostile strings', () => {
  const N = 200_000;
  const runs = (unit: string, end: string) => unit.repeat(Math.ceil(N / unit.length)) + end;
  const nearJwts = [runs('a', '!'), `eyJ.${runs('a', '!')}`, `eyJ.${runs('a.', '!')}`, `eyJ.eyJ.${runs('a=', ' x')}`, `${runs('a', '')}`];
  const timeOf = (work: () => unknown) => {
    const started = performance.now();
    work();
    return performance.now() - started;
  };
  // Seconds for a quadratic pattern, milliseconds for a linear one: 2.5 s separates them even on a machine loaded
  // several times over (500 ms was exceeded once by a linear check under a load average of 9 on 2 cores).
  const LIMIT_MS = 2_500;

  test('decodeJwt, with the presentation limit', () => {
    for (const s of nearJwts) expect(timeOf(() => decodeJwt(s, JWT_LIMITS.presentationJwtLength))).toBeLessThan(LIMIT_MS);
  });

  test('parseEthrDid and did-resolver parse (did-jwt resolves `iss` through it)', () => {
    for (const tail of [runs('a', '\n'), runs('a:', '\n'), runs(';a=', '\n'), runs('%aa', '%\n'), runs(';a=a:a', ' \n')]) {
      expect(timeOf(() => parseEthrDid(`did:ethr:${tail}`))).toBeLessThan(LIMIT_MS);
      expect(timeOf(() => parseDidUrl(`did:ethr:${tail}`))).toBeLessThan(LIMIT_MS);
    }
  });

  test('the catalog claim patterns (ajv checks pattern even when maxLength already failed)', () => {
    const claims = (value: string) => ({ name: value, nameEn: value, ethnicity: value, address: value, citizenIdNumber: value });
    for (const s of [runs(' ', '\u0001'), runs('a ', ' '), runs('a', '!'), runs('a.', '.'), runs('中·', '!')]) {
      expect(timeOf(() => validateClaims('NationalIdCredential', claims(`a${s}`)))).toBeLessThan(LIMIT_MS);
    }
  });

  test('the presentation query patterns', () => {
    const item = PRESENTATION_QUERY_SCHEMA.properties.credentials.items.properties;
    const [dotted, dcql] = item.claims.items.oneOf;
    const patterns = [item.type.pattern, dotted.pattern, dcql.items.oneOf[0].pattern, item.issuers.items.pattern].map((p) => new RegExp(p, 'u'));
    for (const re of patterns) {
      for (const s of [runs('a', '!'), runs('a.', '!'), `did:a:${runs(':', ' ')}`, `did:${runs('a', ' ')}`]) {
        expect(timeOf(() => re.test(s))).toBeLessThan(LIMIT_MS);
      }
    }
  });
});
