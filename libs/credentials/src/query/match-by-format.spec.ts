import { DcqlQuery } from 'dcql';
import { getCredentialType, vctOf } from '../catalog/index.js';
import { matchDcql, parseDcqlQuery, selectForDcql, type DcqlCandidate, type ParsedDcqlQuery } from './dcql.js';
import { readPresentationQuery } from './read-query.js';

/**
 * matchDcql runs each credential query over the candidates of its format only: it must answer exactly what the
 * `dcql` library answers over all candidates, less the results of candidates of another format (which the
 * library can only fail on their format), with the caller's candidate indexes.
 */
const TYPE = 'EducationCredential';
const VCT = vctOf(getCredentialType(TYPE)!);

const candidates: DcqlCandidate[] = [
  { format: 'jwt_vc_json', type: TYPE, claims: { degree_level: 'bachelor', institution: 'A' } },
  { format: 'dc+sd-jwt', type: TYPE, claims: { institution: 'B' } },
  { format: 'dc+sd-jwt', type: TYPE, claims: { degree_level: 'master', institution: 'C' } },
  { format: 'jwt_vc_json', type: 'NationalIdCredential', claims: { degree_level: 'x' } },
  { format: 'jwt_vc_json', type: TYPE, claims: { institution: 'D' } },
];

function input(candidate: DcqlCandidate) {
  return candidate.format === 'dc+sd-jwt'
    ? { credential_format: 'dc+sd-jwt' as const, vct: vctOf(getCredentialType(candidate.type)!), claims: candidate.claims, cryptographic_holder_binding: true }
    : { credential_format: 'jwt_vc_json' as const, type: ['VerifiableCredential', candidate.type], claims: { credentialSubject: candidate.claims }, cryptographic_holder_binding: true };
}

/** The library's own answer over every candidate, with the results of other-format candidates left out. */
function libraryAnswer(query: ParsedDcqlQuery, list: DcqlCandidate[]) {
  const all = DcqlQuery.query(query, list.map(input) as never).credential_matches;
  return Object.fromEntries(
    query.credentials.map((c) => {
      const match = all[c.id]!;
      const same = (r: { input_credential_index: number }) => list[r.input_credential_index]!.format === c.format;
      const valid = (match.valid_credentials ?? []).filter(same);
      const failed = (match.failed_credentials ?? []).filter(same);
      return [c.id, { valid, failed }];
    }),
  );
}

function parsed(input: unknown): ParsedDcqlQuery {
  const read = parseDcqlQuery(input);
  if (!read.ok) throw new Error(read.message);
  return read.query;
}

const queries: Array<[string, ParsedDcqlQuery]> = [
  ['the original shape, both formats', (readPresentationQuery({ credentials: [{ type: TYPE, claims: ['degree_level'] }] }) as { ok: true; query: { dcql: ParsedDcqlQuery } }).query.dcql],
  [
    'DCQL with claim sets and values',
    parsed({
      credentials: [
        {
          id: 'sd',
          format: 'dc+sd-jwt',
          meta: { vct_values: [VCT] },
          claims: [
            { id: 'l', path: ['degree_level'], values: ['master'] },
            { id: 'i', path: ['institution'] },
          ],
          claim_sets: [['l'], ['i']],
        },
        { id: 'w3c', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', TYPE]] }, claims: [{ path: ['credentialSubject', 'degree_level'] }] },
      ],
    }),
  ],
  ['one format only', parsed({ credentials: [{ id: 'w3c', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', TYPE]] } }] })],
];

describe.each(queries)('matchDcql by format agrees with the library: %s', (_name, query) => {
  it.each([
    ['every candidate', candidates],
    ['no candidate of one format', candidates.filter((c) => c.format === 'jwt_vc_json')],
    ['one candidate', [candidates[2]!]],
  ])('%s', (_what, list) => {
    const ours = matchDcql(query, list);
    const theirs = libraryAnswer(query, list);
    for (const credential of query.credentials) {
      const match = ours[credential.id]!;
      expect(match.success).toBe(theirs[credential.id]!.valid.length > 0);
      expect(match.valid_credentials ?? []).toEqual(theirs[credential.id]!.valid);
      expect(match.failed_credentials ?? []).toEqual(theirs[credential.id]!.failed);
    }
  });
});

test('the holder picks the same candidate as over the whole list, by its own index', () => {
  const query = queries[1]![1];
  const selected = selectForDcql(query, candidates);
  expect(selected).toEqual({
    ok: true,
    selections: [
      { credentialQueryId: 'sd', candidate: 1, paths: [['institution']] },
      { credentialQueryId: 'w3c', candidate: 0, paths: [['credentialSubject', 'degree_level']] },
    ],
  });
  // A query object matched twice (a kept read) answers the same both times.
  expect(matchDcql(query, candidates)).toEqual(matchDcql(query, candidates));
});
