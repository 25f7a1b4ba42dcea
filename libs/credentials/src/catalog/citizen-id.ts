import { parseIsoDate } from './fields.js';

/**
 * 公民身份号码 per GB 11643-1999 §4–§5: 6-digit address (region) code, 8-digit birth date YYYYMMDD,
 * 3-digit sequence code (odd for men, even for women), and a check character per ISO 7064 MOD 11-2.
 * Hand-written: the algorithm is a dozen lines and no maintained npm package implements exactly this standard.
 */

/** Weights W_i = 2^(17-i) mod 11 for positions 1..17 (GB 11643-1999 §5.2, ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character by (Σ a_i·W_i) mod 11; the value 10 is written as the Roman numeral X. */
const CHECK_CHARACTERS = '10X98765432';
/** Earliest birth year accepted: the standard covers people born before 1900 too. */
const MIN_BIRTH_YEAR = 1800;

/** The parts of a valid 公民身份号码. */
export interface CitizenIdParts {
  regionCode: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sequence: string;
  /** From the parity of the sequence code's last digit (the 17th character). */
  gender: 'male' | 'female';
  checkCharacter: string;
}

/**
 * The check character of the first 17 digits.
 * @throws RangeError when `first17` is not exactly 17 ASCII digits (caller misuse).
 */
export function citizenIdCheckCharacter(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('citizenIdCheckCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * Splits and checks an 18-character 公民身份号码; `undefined` when it is not valid. The uppercase `X` is the
 * only letter accepted (the standard writes it so; a signed claim must have one spelling). A birth date in
 * the future is not rejected here: this function has no clock.
 */
export function parseCitizenId(id: unknown): CitizenIdParts | undefined {
  if (typeof id !== 'string' || !/^[1-9][0-9]{16}[0-9X]$/.test(id)) return undefined;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = parseIsoDate(birth);
  if (!date || date.year < MIN_BIRTH_YEAR) return undefined;
  if (citizenIdCheckCharacter(id.slice(0, 17)) !== id[17]) return undefined;
  return {
    regionCode: id.slice(0, 6),
    birthDate: birth,
    sequence: id.slice(14, 17),
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    checkCharacter: id[17]!,
  };
}

/** True when `id` is a valid 18-character 公民身份号码 (real birth date, correct check character). */
export function isValidCitizenId(id: string): boolean {
  return parseCitizenId(id) !== undefined;
}
