import { getCredentialType, vctOf } from '../catalog/index.js';
import type { VerifiedCredentialSummary } from '../verification/types.js';
import type { RequestedClaim } from './claim-path.js';
import { parseDcqlQuery, requestedScopes, selectForDcql, type DcqlCandidate, type ParsedDcqlQuery } from './dcql.js';
import { readPresentationQuery, type ReadPresentationQuery } from './read-query.js';
import { queryProblems } from './request-check.js';
import type { PresentationQuery } from './presentation-query.js';

const ISSUER = 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111';
const OTHER = 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222';
const sameDid = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const TYPE = 'PropertyCredential';
const VCT = vctOf(getCredentialType(TYPE)!);

const title = {
  use: 'residential',
  address: '南京市玄武区北京东路41号3幢201室',
  region: { province: '江苏省', city: '南京市' },
  coOwners: [
    { name: '王芳', share: 50 },
    { name: '李四', share: 50 },
  ],
};

function read(query: PresentationQuery): ReadPresentationQuery {
  const result = readPresentationQuery(query);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.query;
}
function dcql(input: unknown): ParsedDcqlQuery {
  const parsed = parseDcqlQuery(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
}
const summary = (claims: Record<string, unknown>, format: 'dc+sd-jwt' | 'jwt_vc_json' = 'dc+sd-jwt', issuer = ISSUER): VerifiedCredentialSummary => ({
  path: format === 'dc+sd-jwt' ? 'sdJwtPresentations[0]' : 'verifiableCredential[0]',
  ...(format === 'dc+sd-jwt' ? { format } : {}),
  type: TYPE,
  issuer,
  issuanceDate: '',
  claims,
});
/** The verifier's verdict on one credential for a query in the original shape (true: answered). */
const verifier = (query: PresentationQuery, claims: Record<string, unknown>, format?: 'dc+sd-jwt' | 'jwt_vc_json') =>
  queryProblems(read(query), [summary(claims, format)], sameDid).length === 0;
/** The wallet's: whether it finds a credential to send for the same query, translated to DCQL. */
const wallet = (query: PresentationQuery, claims: Record<string, unknown>, format: 'dc+sd-jwt' | 'jwt_vc_json' = 'dc+sd-jwt') => {
  const translated = read(query).dcql;
  const ids = translated.credentials.filter((c) => c.format === format).map((c) => c.id);
  const selected = selectForDcql({ ...translated, credentials: translated.credentials.filter((c) => ids.includes(c.id)), credential_sets: undefined } as ParsedDcqlQuery, [{ format, type: TYPE, claims }]);
  return selected.ok;
};

describe('claim paths through the one matcher (OpenID4VP 1.0 §7.1)', () => {
  it.each<[string, RequestedClaim, boolean]>([
    ['a top-level member', ['use'], true],
    ['a dotted nested member', 'region.city', true],
    ['a nested member', ['region', 'province'], true],
    ['an array element by index', ['coOwners', 1, 'name'], true],
    ['every element', ['coOwners', null, 'share'], true],
    ['a member of a string', ['address', 'city'], false],
    ['an index past the end', ['coOwners', 2], false],
    ['a wildcard over an object', ['region', null], false],
    ['a missing member', ['region', 'district'], false],
    ['a member no element has', ['coOwners', null, 'citizenIdNumber'], false],
  ])('%s', (_name, claim, expected) => {
    for (const format of ['dc+sd-jwt', 'jwt_vc_json'] as const) {
      expect([claim, format, verifier({ credentials: [{ type: TYPE, claims: [claim] }] }, title, format)]).toEqual([claim, format, expected]);
    }
  });

  it('values: a claim must have one of the values asked (OpenID4VP 1.0 §6.3)', () => {
    const query = (values: unknown[]) => dcql({ credentials: [{ id: 'p', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['use'], values }] }] });
    const held: DcqlCandidate[] = [{ format: 'dc+sd-jwt', type: TYPE, claims: title }];
    expect(selectForDcql(query(['residential', 'commercial']), held).ok).toBe(true);
    expect(selectForDcql(query(['commercial']), held)).toEqual({ ok: false, missing: ['p'] });
    const read = readPresentationQuery({ credentials: [{ id: 'p', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['use'], values: ['commercial'] }] }] });
    expect(read.ok && queryProblems(read.query, [summary(title)], sameDid).map((p) => p.code)).toEqual(['requested_claim_missing']);
  });

  it('refuses paths naming members every object inherits (the library would match them, or throw)', () => {
    expect(parseDcqlQuery({ credentials: [{ id: 'p', format: 'dc+sd-jwt', claims: [{ path: ['constructor'] }] }] }).ok).toBe(false);
    expect(readPresentationQuery({ credentials: [{ type: TYPE, claims: ['region.__proto__'] }] })).toEqual({
      ok: false,
      errors: [{ path: '/query/credentials/0/claims/0', message: 'a claim path names a member every object inherits' }],
    });
  });

  it('registration scopes cut a path at its first array segment, on both query forms', () => {
    const legacy = read({ credentials: [{ type: TYPE, claims: [['coOwners', null, 'name'], 'region.city'] }] });
    expect(legacy.scopes).toEqual([{ type: TYPE, label: TYPE, paths: [['coOwners'], ['region', 'city']] }]);
    const query = dcql({ credentials: [{ id: 'p', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', TYPE]] }, claims: [{ path: ['credentialSubject', 'coOwners', 0, 'share'] }, { path: ['vc', 'x'] }] }] });
    expect(requestedScopes(query)[0]!.paths).toEqual([['coOwners'], []]);
  });
});

describe('wallet and verifier give the same answer', () => {
  const paths: RequestedClaim[] = ['use', 'region.city', 'address.city', ['region', 'province'], ['region', 'district'], ['coOwners', null, 'name'], ['coOwners', 0, 'share'], ['coOwners', 5, 'share'], ['coOwners', null, 'citizenIdNumber']];
  // The holder's full credential and what it disclosed (the verifier sees only that).
  const disclosed = { region: { province: '江苏省' }, coOwners: [{ name: '王芳' }, { name: '李四' }] };

  it.each(paths.map((p) => [JSON.stringify(p), p] as const))('for %s', (_name, path) => {
    const query = { credentials: [{ type: TYPE, claims: [path] }] };
    for (const claims of [title, disclosed]) {
      for (const format of ['dc+sd-jwt', 'jwt_vc_json'] as const) expect([path, wallet(query, claims, format)]).toEqual([path, verifier(query, claims, format)]);
    }
  });
});

describe('the request check names what is missing', () => {
  it('a claim beyond the first segment, at its place in the credential', () => {
    const query = read({ credentials: [{ type: TYPE, claims: ['use', 'address.city'] }] });
    expect(queryProblems(query, [summary(title, 'jwt_vc_json')], sameDid)).toEqual([
      { code: 'requested_claim_missing', message: `the ${TYPE} does not hold the requested claim address.city`, path: 'verifiableCredential[0].credentialSubject.address.city' },
    ]);
    const indexed = read({ credentials: [{ type: TYPE, claims: [['coOwners', 3, 'name']] }] });
    expect(queryProblems(indexed, [summary(title)], sameDid).map((p) => p.path)).toEqual(['sdJwtPresentations[0].coOwners[3].name']);
  });

  it('no credential of the type, or none from an accepted issuer', () => {
    expect(queryProblems(read({ credentials: [{ type: 'NationalIdCredential' }] }), [summary(title)], sameDid)).toEqual([
      { code: 'requested_credential_missing', message: 'no verified NationalIdCredential was presented', path: 'query.credentials[0]' },
    ]);
    expect(queryProblems(read({ credentials: [{ type: TYPE, issuers: [OTHER] }] }), [summary(title)], sameDid).map((p) => [p.code, p.path])).toEqual([
      ['issuer_not_trusted', 'sdJwtPresentations[0]'],
    ]);
    expect(queryProblems(read({ credentials: [{ type: TYPE, issuers: [ISSUER.toUpperCase().replace('DID:ETHR:0X7A69:0X', 'did:ethr:0x7a69:0x')] }] }), [summary(title)], sameDid)).toEqual([]);
  });

  it('a DCQL query is judged by format too: a JWT VC does not answer a dc+sd-jwt query', () => {
    const query = read({ credentials: [{ id: 'title', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['use'] }] }] } as PresentationQuery);
    expect(queryProblems(query, [summary(title)], sameDid)).toEqual([]);
    expect(queryProblems(query, [summary(title, 'jwt_vc_json')], sameDid)).toEqual([
      { code: 'requested_credential_missing', message: `no verified ${TYPE} was presented`, path: 'query.credentials[0]' },
    ]);
  });

  it('never throws on an empty presentation', () => {
    expect(queryProblems(read({ credentials: [{ type: TYPE, claims: ['use'] }] }), [], sameDid).map((p) => p.code)).toEqual(['requested_credential_missing']);
  });
});
