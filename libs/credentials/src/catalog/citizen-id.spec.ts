import { citizenIdCheckCharacter, isValidCitizenId, parseCitizenId } from './citizen-id.js';

/** Independent MOD 11-2 (ISO 7064): weights computed as 2^(17-i) mod 11 instead of read from a table. */
function checkCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * (2 ** (17 - i) % 11), 0);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}
const makeId = (first17: string) => first17 + checkCharacter(first17);

describe('citizen ID (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', '110105', '1949-12-31', 'female'], // the standard's own example (check character X)
    ['440524188001010014', '440524', '1880-01-01', 'male'], // the standard's second example (born 1880)
    [makeId('32010219900307123'), '320102', '1990-03-07', 'male'],
    [makeId('31011520000229246'), '310115', '2000-02-29', 'female'], // leap day
    [makeId('65010219851111001'), '650102', '1985-11-11', 'male'],
    [makeId('44130219771005764'), '441302', '1977-10-05', 'female'],
  ])('accepts %s', (id, regionCode, birthDate, gender) => {
    expect(isValidCitizenId(id)).toBe(true);
    expect(parseCitizenId(id)).toMatchObject({ regionCode, birthDate, gender, checkCharacter: id[17] });
  });

  it('agrees with the independent check-digit function on varied numbers', () => {
    // Deterministic pseudo-random digits, so every position (weight) is exercised, not just the serial.
    let seed = 20241121;
    const digit = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String(seed % 10);
    };
    const seen = new Set<string>();
    for (let n = 0; n < 5000; n++) {
      const first17 = Array.from({ length: 17 }, digit).join('');
      const expected = checkCharacter(first17);
      seen.add(expected);
      expect(citizenIdCheckCharacter(first17)).toBe(expected);
    }
    expect(seen.size).toBe(11); // every check character 0–9 and X occurred
  });

  it.each([
    ['wrong check character', '110105194912310021'],
    ['lowercase x', '11010519491231002x'],
    ['impossible date 1999-02-30', makeId('32010219990230123')],
    ['non-leap 1900-02-29', makeId('32010219000229123')],
    ['month 13', makeId('32010219901301123')],
    ['born before 1800', makeId('32010217990101123')],
    ['region code starting with 0', makeId('02010219900307123')],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X0'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ['empty', ''],
  ])('rejects %s', (_name, id) => {
    expect(isValidCitizenId(id)).toBe(false);
    expect(parseCitizenId(id)).toBeUndefined();
  });

  it.each([null, undefined, 110105194912310020, {}, ['11010519491231002X']])('parseCitizenId(%p) is undefined', (junk) => {
    expect(parseCitizenId(junk)).toBeUndefined();
  });

  it('citizenIdCheckCharacter refuses input that is not 17 digits', () => {
    expect(() => citizenIdCheckCharacter('1234')).toThrow(RangeError);
  });
});
