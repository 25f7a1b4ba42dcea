import { agencyPrefixOf, certificateNumber, parseCertificateNumber } from './certificate-number.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SAMPLES = [
  { identity: '0x7a69c0ffee0000000000000000000000000000ab', typeCode: 3, listGroup: 1, index: 123_456 },
  { identity: '0x0000000000000000000000000000000000000001', typeCode: 1, listGroup: 1, index: 0 },
  { identity: '0xffffffffffffffffffffffffffffffffffffffff', typeCode: 31, listGroup: 31, index: 2 ** 24 - 1 },
];

test.each(SAMPLES)('a number round-trips its fields (%o)', (sample) => {
  const number = certificateNumber(sample);
  expect(number).toMatch(/^GC-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{2}$/);
  const parsed = parseCertificateNumber(number);
  expect(parsed).toEqual({
    ok: true,
    canonical: number,
    fields: { agencyPrefix: agencyPrefixOf(sample.identity), typeCode: sample.typeCode, listGroup: sample.listGroup, index: sample.index },
  });
});

test('people may type it loosely: lower case, no hyphens, spaces, O for 0 and I or L for 1', () => {
  const number = certificateNumber(SAMPLES[0]);
  const loose = number.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
  expect(parseCertificateNumber(loose)).toMatchObject({ ok: true, canonical: number });
});

// The error-detection table: every single-character substitution and every adjacent swap of every sample,
// check characters included, is caught.
test.each(SAMPLES)('every single substitution and adjacent transposition is caught (%o)', (sample) => {
  const body = certificateNumber(sample).slice(3).replace(/-/g, '');
  let tried = 0;
  for (let i = 0; i < body.length; i++) {
    for (const char of ALPHABET) {
      if (char === body[i]) continue;
      const typo = body.slice(0, i) + char + body.slice(i + 1);
      expect(parseCertificateNumber(`GC${typo}`).ok).toBe(false);
      tried++;
    }
    if (i + 1 < body.length && body[i] !== body[i + 1]) {
      const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
      expect(parseCertificateNumber(`GC${swapped}`).ok).toBe(false);
      tried++;
    }
  }
  expect(tried).toBeGreaterThan(17 * 31);
});

test.each([
  ['not a string', 42, 'malformed'],
  ['empty', '', 'malformed'],
  ['another prefix', 'XX-00000-00000-00000-00', 'malformed'],
  ['too short', 'GC-00000-00000-0000-00', 'malformed'],
  ['too long', 'GC-00000-00000-00000-000', 'malformed'],
  ['a U (not in the alphabet)', 'GC-U0000-00000-00000-00', 'malformed'],
  ['oversized input', `GC-${'0'.repeat(100)}`, 'malformed'],
  ['all zeros (check holds, but type and list 0)', 'GC-00000-00000-00000-00', 'malformed'],
])('%s is refused', (_name, text, problem) => {
  expect(parseCertificateNumber(text)).toEqual({ ok: false, problem });
});

test('fields that do not fit are caller misuse', () => {
  expect(() => certificateNumber({ ...SAMPLES[0], typeCode: 0 })).toThrow(RangeError);
  expect(() => certificateNumber({ ...SAMPLES[0], listGroup: 32 })).toThrow(RangeError);
  expect(() => certificateNumber({ ...SAMPLES[0], index: 2 ** 24 })).toThrow(RangeError);
});
