import { selectCredentials, type HeldCredential } from '../holder/select-credentials.js';
import type { VerifiedCredentialSummary } from '../verification/types.js';
import { holdsClaim, registryPathOf, selectClaims, type RequestedClaim } from './claim-path.js';
import { queryProblems } from './presentation-query.js';

const ISSUER = 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111';
const sameDid = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const title = {
  use: 'residential',
  address: '南京市玄武区北京东路41号3幢201室',
  region: { province: '江苏省', city: '南京市' },
  coOwners: [
    { name: '王芳', share: 50 },
    { name: '李四', share: 50, note: null },
  ],
  rooms: [],
};

describe('selectClaims (OpenID4VP 1.0 §7.1)', () => {
  it.each<[string, RequestedClaim, unknown[]]>([
    ['a top-level member', ['use'], ['residential']],
    ['a dotted nested member', 'region.city', ['南京市']],
    ['a nested member', ['region', 'province'], ['江苏省']],
    ['an array element by index', ['coOwners', 1, 'name'], ['李四']],
    ['every element', ['coOwners', null, 'share'], [50, 50]],
    ['a null value is a value', ['coOwners', 1, 'note'], [null]],
    ['a member of a string', ['address', 'city'], []],
    ['an index past the end', ['coOwners', 2], []],
    ['a wildcard over an object', ['region', null], []],
    ['a wildcard over an empty array', ['rooms', null], []],
    ['a string index on an array (dotted digits are names)', 'coOwners.0.name', []],
    ['a missing member', ['region', 'district'], []],
  ])('%s', (_name, path, expected) => {
    expect(selectClaims(title, typeof path === 'string' ? path.split('.') : path)).toEqual(expected);
  });

  it('ignores inherited members', () => {
    expect(holdsClaim({}, ['constructor'])).toBe(false);
    expect(holdsClaim({}, '__proto__')).toBe(false);
  });

  it('cuts registry paths at the first array segment', () => {
    expect(registryPathOf(['coOwners', null, 'name'])).toEqual(['coOwners']);
    expect(registryPathOf('region.city')).toEqual(['region', 'city']);
    expect(registryPathOf([null])).toEqual([]);
  });
});

describe('wallet and verifier give the same answer', () => {
  const paths: RequestedClaim[] = [
    'use',
    'region.city',
    'address.city',
    ['region', 'province'],
    ['region', 'district'],
    ['coOwners', null, 'name'],
    ['coOwners', 0, 'share'],
    ['coOwners', 5, 'share'],
    ['coOwners', null, 'citizenIdNumber'],
    'coOwners.name',
  ];
  // The holder's full credential and what it disclosed (the verifier sees only that).
  const disclosed = { region: { province: '江苏省' }, coOwners: [{ name: '王芳' }, { name: '李四' }] };

  it.each(paths.map((p) => [JSON.stringify(p), p] as const))('for %s', (_name, path) => {
    const query = { credentials: [{ type: 'PropertyCredential', claims: [path] }] };
    for (const claims of [title, disclosed]) {
      const held: HeldCredential = { type: 'PropertyCredential', issuer: ISSUER, claims, receivedAt: '2026-01-01T00:00:00Z', usable: true };
      const wallet = selectCredentials(query, [held], sameDid).missing.length === 0;
      const summary: VerifiedCredentialSummary = { path: 'sdJwtPresentations[0]', format: 'dc+sd-jwt', type: 'PropertyCredential', issuer: ISSUER, issuanceDate: '', claims };
      const verifier = queryProblems(query, [summary], sameDid).length === 0;
      expect([path, wallet]).toEqual([path, verifier]);
    }
  });

  it('the old wallet rule (first segment only) would have sent what the verifier refuses', () => {
    const query = { credentials: [{ type: 'PropertyCredential', claims: ['address.city'] }] };
    const held: HeldCredential = { type: 'PropertyCredential', issuer: ISSUER, claims: title, receivedAt: '', usable: true };
    expect(selectCredentials(query, [held], sameDid)).toEqual({ chosen: [], missing: ['PropertyCredential'] });
    const summary: VerifiedCredentialSummary = { path: 'verifiableCredential[0]', type: 'PropertyCredential', issuer: ISSUER, issuanceDate: '', claims: title };
    expect(queryProblems(query, [summary], sameDid)).toEqual([
      {
        code: 'requested_claim_missing',
        message: 'the PropertyCredential does not hold the requested claim address.city',
        path: 'verifiableCredential[0].credentialSubject.address.city',
      },
    ]);
  });

  it('a wallet picks the newest usable credential that answers, once for two entries', () => {
    const base = { type: 'PropertyCredential', issuer: ISSUER, claims: title };
    const held: HeldCredential[] = [
      { ...base, receivedAt: '2026-01-01T00:00:00Z', usable: true },
      { ...base, receivedAt: '2026-03-01T00:00:00Z', usable: false },
      { ...base, receivedAt: '2026-02-01T00:00:00Z', usable: true },
    ];
    const query = { credentials: [{ type: 'PropertyCredential', claims: ['use'] }, { type: 'PropertyCredential', claims: [['coOwners', null, 'name']] }] };
    expect(selectCredentials(query, held, sameDid).chosen).toEqual([held[2]]);
  });
});
