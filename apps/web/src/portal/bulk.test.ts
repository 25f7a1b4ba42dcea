import { describe, expect, it } from 'vitest';
import { getCredentialType } from '../../../../libs/credentials/src/catalog/index.js';
import { SAMPLE_CLAIMS } from '../../../../scripts/lib/sample-claims.js';
import { parseCsv, toCsv } from '../shared/csv';
import { offersCsv, readClassList, template } from './bulk';
import { formFields } from './schema-form';

const fields = formFields(getCredentialType('EducationCredential')!.schema as never);
const sample = SAMPLE_CLAIMS.EducationCredential as Record<string, string>;

describe('a class list', () => {
  it('becomes claims per row, with each bad row\'s problems and its line number', () => {
    const names = Object.keys(sample);
    const text = toCsv([names, names.map((n) => sample[n]), names.map((n) => (n === 'graduationDate' ? '2024-13-01' : sample[n]))]);
    const { rows, unknownColumns } = readClassList(text, fields);
    expect(unknownColumns).toEqual([]);
    expect(rows[0]).toMatchObject({ line: 2, claims: sample });
    expect(rows[1]).toMatchObject({ line: 3, problems: { graduationDate: { key: 'field.date' } } });
    expect(rows[1].claims).toBeUndefined();
  });

  it('reports columns the type does not have', () => {
    expect(readClassList('holderName,favouriteColour\nLI Si,blue\n', fields).unknownColumns).toEqual(['favouriteColour']);
  });

  it('has a template with the field names, and a download with each row\'s offer or error', () => {
    expect(parseCsv(template(fields))[0]).toEqual(fields.map((f) => f.name));
    const { rows } = readClassList(toCsv([['holderName', 'holderNameZh'], ['LI Si', '李四'], ['WANG Wu', '王五']]), fields);
    const csv = parseCsv(offersCsv(rows, [{ line: 2, offerUri: 'openid-credential-offer://?x', txCode: '1234', expiresAt: 'T' }, { line: 3, error: 'invalid_claims' }], ['holderName', 'holderNameZh']));
    expect(csv).toEqual([
      ['line', 'holderName', 'holderNameZh', 'offerUri', 'pin', 'expiresAt', 'error'],
      ['2', 'LI Si', '李四', 'openid-credential-offer://?x', '1234', 'T', ''],
      ['3', 'WANG Wu', '王五', '', '', '', 'invalid_claims'],
    ]);
  });
});
