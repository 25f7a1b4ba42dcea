import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv, toCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, a BOM and CRLF lines', () => {
    const text = '\ufeffname,note\r\n"LI, Si","say ""hi"""\r\n王五,"two\nlines"\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'note'],
      ['LI, Si', 'say "hi"'],
      ['王五', 'two\nlines'],
    ]);
  });

  it('keeps a last line without a line break and drops blank lines', () => {
    expect(parseCsv('a,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('writing CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvLine(['a,b', 'x"y', '=HYPERLINK("x")', '-1', 42, null])).toBe(`"a,b","x""y","'=HYPERLINK(""x"")",'-1,42,`);
  });

  it('round-trips through the reader', () => {
    const rows = [
      ['line', 'offerUri'],
      ['2', 'openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fx'],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });
});
