import { SAMPLE_CLAIMS } from '../../../../../test/support/sample-claims.js';
import {
  AUDIENCE,
  NONCE,
  NOW,
  decodePart,
  digestOf,
  ecKey,
  encodeDisclosure,
  issue,
  resign,
  resolveIssuerKey,
  withKb,
} from '../../../../../test/support/sd-jwt-fixtures.js';
import { presentSdJwtVc, verifySdJwtVc, type VerifySdJwtVcOptions } from './index.js';

const holder = ecKey('P-256');
const stranger = ecKey('P-256');
const claims = SAMPLE_CLAIMS.NationalIdCredential;
const options: VerifySdJwtVcOptions = { resolveIssuerKey, expectedNonce: NONCE, expectedAudience: AUDIENCE, now: NOW, maxKbAgeSeconds: 300 };

let credential: string; // all disclosures, no KB
let otherCredential: string; // same type and issuer, another holder
let presented: string; // age_over_18 + region.province, no KB yet
beforeAll(async () => {
  credential = await issue('NationalIdCredential', claims, holder);
  otherCredential = await issue('NationalIdCredential', claims, stranger);
  const full = await presentSdJwtVc(credential, { claimPaths: [['age_over_18'], ['region', 'province']], nonce: NONCE, audience: AUDIENCE, holderSigner: holder.sign, holderAlg: 'ES256', now: NOW });
  presented = full.slice(0, full.lastIndexOf('~') + 1);
});

const parts = (sdJwt: string) => sdJwt.split('~');
/** The disclosure of `name` in an SD-JWT (object member disclosures only). */
const disclosureNamed = (sdJwt: string, name: string) => parts(sdJwt).slice(1, -1).find((d) => (decodePart(d) as unknown[])[1] === name)!;
/** Adds a disclosure whose digest the issuer put in the top-level `_sd` (a hostile or broken issuer). */
const issuerDiscloses = async (array: unknown[]) => {
  const disclosure = encodeDisclosure(array);
  const signed = await resign(presented, ({ payload }) => {
    (payload._sd as string[]).push(digestOf(disclosure));
  });
  return `${signed}${disclosure}~`;
};
/** JSON text nested `levels` deep, built as text (JSON.stringify itself would overflow the stack). */
const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
const b64 = (text: string) => Buffer.from(text).toString('base64url');

type Case = [name: string, build: () => Promise<unknown>, code: string, verifyOptions?: Partial<VerifySdJwtVcOptions>];
const cases: Case[] = [
  // Issuer signature
  ['an issuer signature by another key', async () => withKb(await resign(presented, () => {}, ecKey('secp256k1').sign), holder), 'sd_jwt_signature_invalid'],
  ['an unknown issuer (resolver has no key)', async () => withKb(presented, holder), 'sd_jwt_signature_invalid', { resolveIssuerKey: async () => undefined }],
  ['an issuer DID that cannot be resolved', async () => withKb(presented, holder), 'did_unresolvable', { resolveIssuerKey: async () => { throw new Error('rpc down'); } }],
  ['a payload edited after signing', async () => {
    const [jwt, ...rest] = parts(presented);
    const [h, p, s] = jwt!.split('.');
    const payload = decodePart(p!) as Record<string, unknown>;
    payload.iss = 'did:ethr:0x7a69:0x3333333333333333333333333333333333333333';
    return withKb([`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, ...rest].join('~'), holder);
  }, 'sd_jwt_signature_invalid'],
  // Disclosures
  ['a disclosure edited (age_over_65 made true)', async () => {
    const edited = encodeDisclosure([(decodePart(disclosureNamed(credential, 'age_over_65')) as unknown[])[0], 'age_over_65', true]);
    return withKb(`${presented}${edited}~`, holder);
  }, 'disclosure_digest_missing'],
  ['a disclosure added that the issuer never signed', async () => withKb(`${presented}${encodeDisclosure(['c2FsdHNhbHRzYWx0c2FsdA', 'age_over_65', true])}~`, holder), 'disclosure_digest_missing'],
  ['a disclosure duplicated', async () => withKb(`${presented}${parts(presented)[1]}~`, holder), 'disclosure_duplicated'],
  ['a disclosure taken from another credential', async () => withKb(`${presented}${disclosureNamed(otherCredential, 'birthDate')}~`, holder), 'disclosure_digest_missing'],
  ['a nested disclosure without its parent', async () => {
    const province = disclosureNamed(credential, 'province');
    const ageOnly = parts(presented).filter((d) => d !== province && d !== disclosureNamed(credential, 'region')).join('~');
    return withKb(`${ageOnly}${province}~`, holder);
  }, 'disclosure_digest_missing'],
  ['a digest twice in _sd (collision)', async () => withKb(await resign(presented, ({ payload }) => {
    const sd = payload._sd as string[];
    sd.push(sd[0]!);
  }), holder), 'sd_digest_duplicated'],
  ['a disclosed claim already present in clear', async () => withKb(await issuerDiscloses(['c2FsdHNhbHRzYWx0c2FsdA', 'vct', 'urn:other']), holder), 'disclosure_reserved_name'],
  ['a disclosure named like a plain claim at its level', async () => {
    const disclosure = encodeDisclosure(['c2FsdHNhbHRzYWx0c2FsdA', 'nameZh', '李四']);
    const signed = await resign(presented, ({ payload }) => {
      payload.nameZh = '张三';
      (payload._sd as string[]).push(digestOf(disclosure));
    });
    return withKb(`${signed}${disclosure}~`, holder);
  }, 'disclosure_claim_collision'],
  ['a disclosure named _sd', async () => withKb(await issuerDiscloses(['c2FsdHNhbHRzYWx0c2FsdA', '_sd', ['x']]), holder), 'disclosure_reserved_name'],
  ['a disclosure named ...', async () => withKb(await issuerDiscloses(['c2FsdHNhbHRzYWx0c2FsdA', '...', 'x']), holder), 'disclosure_reserved_name'],
  ['a disclosure of iss', async () => withKb(await issuerDiscloses(['c2FsdHNhbHRzYWx0c2FsdA', 'iss', 'did:evil']), holder), 'disclosure_reserved_name'],
  ['a disclosure of status', async () => withKb(await issuerDiscloses(['c2FsdHNhbHRzYWx0c2FsdA', 'status', {}]), holder), 'disclosure_reserved_name'],
  ['an array-element disclosure referenced from _sd', async () => withKb(await issuerDiscloses(['c2FsdHNhbHRzYWx0c2FsdA', 'x']), holder), 'disclosure_wrong_kind'],
  ['a disclosure that is not an array', async () => withKb(`${presented}${encodeDisclosure({ a: 1 } as unknown as unknown[])}~`, holder), 'disclosure_malformed'],
  ['a disclosure with characters outside base64url', async () => withKb(`${presented}WyJzYWx0Iiwi+/=~`, holder), 'disclosure_malformed'],
  ['_sd_alg sha-512', async () => withKb(await resign(presented, ({ payload }) => { payload._sd_alg = 'sha-512'; }), holder), 'sd_jwt_hash_alg_unsupported'],
  // Key binding
  ['no Key Binding JWT', async () => presented, 'kb_jwt_missing'],
  ['a KB-JWT signed by another key', async () => withKb(presented, stranger), 'kb_jwt_signature_invalid'],
  ['a KB-JWT with a wrong sd_hash', async () => withKb(presented, holder, { payload: { sd_hash: digestOf(credential) } }), 'kb_jwt_sd_hash_mismatch'],
  ['a KB-JWT with another nonce', async () => withKb(presented, holder, { payload: { nonce: 'nonce-2' } }), 'kb_jwt_nonce_mismatch'],
  ['a KB-JWT for another audience', async () => withKb(presented, holder, { payload: { aud: 'did:ethr:0x7a69:0x4444444444444444444444444444444444444444' } }), 'kb_jwt_audience_mismatch'],
  ['a KB-JWT from far in the future', async () => withKb(presented, holder, { payload: { iat: Math.floor(NOW.getTime() / 1000) + 3600 } }), 'kb_jwt_iat_invalid'],
  ['a KB-JWT from long ago', async () => withKb(presented, holder, { payload: { iat: Math.floor(NOW.getTime() / 1000) - 3600 } }), 'kb_jwt_iat_invalid'],
  ['a KB-JWT typ JWT', async () => withKb(presented, holder, { header: { typ: 'JWT' } }), 'kb_jwt_malformed'],
  ['a KB-JWT alg none', async () => withKb(presented, holder, { header: { alg: 'none' } }), 'alg_not_allowed'],
  ['a KB-JWT alg ES256K for a P-256 cnf key', async () => withKb(presented, holder, { header: { alg: 'ES256K' } }), 'alg_not_allowed'],
  ['a KB-JWT with crit', async () => withKb(presented, holder, { header: { crit: ['exp'] } }), 'sd_jwt_crit_unsupported'],
  ['a KB-JWT that is not a JWS', async () => `${presented}not.a-jws`, 'kb_jwt_malformed'],
  // cnf
  ['no cnf', async () => withKb(await resign(presented, ({ payload }) => { delete payload.cnf; }), holder), 'cnf_missing'],
  ['a private key in cnf', async () => withKb(await resign(presented, ({ payload }) => { (payload.cnf as { jwk: Record<string, string> }).jwk.d = 'AAAA'; }), holder), 'cnf_invalid'],
  ['an Ed25519 cnf key', async () => withKb(await resign(presented, ({ payload }) => { payload.cnf = { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } }; }), holder), 'cnf_invalid'],
  // typ / alg / crit of the issuer JWT
  ['issuer alg none', async () => withKb(await resign(presented, ({ header }) => { header.alg = 'none'; }), holder), 'alg_not_allowed'],
  ['issuer alg HS256', async () => withKb(await resign(presented, ({ header }) => { header.alg = 'HS256'; }), holder), 'alg_not_allowed'],
  ['issuer alg ES256', async () => withKb(await resign(presented, ({ header }) => { header.alg = 'ES256'; }), holder), 'alg_not_allowed'],
  ['typ JWT', async () => withKb(await resign(presented, ({ header }) => { header.typ = 'JWT'; }), holder), 'sd_jwt_typ_invalid'],
  ['typ vc+sd-jwt', async () => withKb(await resign(presented, ({ header }) => { header.typ = 'vc+sd-jwt'; }), holder), 'sd_jwt_typ_invalid'],
  ['crit in the issuer header', async () => withKb(await resign(presented, ({ header }) => { header.crit = ['b64']; }), holder), 'sd_jwt_crit_unsupported'],
  // Signed content that is wrong
  ['an unknown vct', async () => withKb(await resign(presented, ({ payload }) => { payload.vct = 'urn:govcred:vct:Other:1'; }), holder), 'vct_unknown'],
  ['a schema reference of another type', async () => withKb(await resign(presented, ({ payload }) => { payload.credential_schema = { id: 'urn:govcred:schema:EducationCredential:1.0', type: 'JsonSchema', digestSRI: 'sha256-x' }; }), holder), 'schema_unknown'],
  ['an expired credential', async () => withKb(await resign(presented, ({ payload }) => { payload.exp = Math.floor(NOW.getTime() / 1000) - 3600; }), holder), 'credential_expired'],
  ['a credential not yet valid', async () => withKb(await resign(presented, ({ payload }) => { payload.nbf = Math.floor(NOW.getTime() / 1000) + 3600; }), holder), 'credential_not_yet_valid'],
  ['status entries missing', async () => withKb(await resign(presented, ({ payload }) => { payload.status = {}; }), holder), 'status_invalid'],
  // Size and shape
  ['a number', async () => 42, 'sd_jwt_malformed'],
  ['an object', async () => ({ toString: () => presented }), 'sd_jwt_malformed'],
  ['no ~ at all', async () => presented.split('~')[0], 'sd_jwt_malformed'],
  ['an empty disclosure (~~)', async () => withKb(`${presented}~`, holder), 'sd_jwt_malformed'],
  ['a JWT of two parts', async () => `a.b~`, 'sd_jwt_malformed'],
  ['a header that is not JSON', async () => `${Buffer.from('{"alg":').toString('base64url')}.e30.AA~`, 'sd_jwt_malformed'],
  ['70,000 characters', async () => `${presented}${'A'.repeat(70_000)}~`, 'sd_jwt_too_large'],
  ['10,000 disclosures', async () => `${presented}${'AA~'.repeat(10_000)}`, 'sd_jwt_too_large'],
  ['deep JSON in the issuer payload (unsigned)', async () => `e30.${b64(`{"a":${deep(15_000)}}`)}.AA~`, 'sd_jwt_too_deep'],
  ['deep JSON in a disclosure', async () => withKb(`${presented}${b64(`["c2FsdA","x",${deep(2000)}]`)}~`, holder), 'sd_jwt_too_deep'],
  ['a disclosure over 8 KiB', async () => withKb(`${presented}${encodeDisclosure(['c2FsdA', 'x', 'y'.repeat(9000)])}~`, holder), 'sd_jwt_too_large'],
  ['a disclosure with 5,000 members', async () => withKb(`${presented}${encodeDisclosure(['c2FsdA', 'x', Array(5000).fill(0)])}~`, holder), 'sd_jwt_too_large', { limits: { maxDisclosureLength: 60_000 } }],
  ['a string of tildes', async () => '~'.repeat(60_000), 'sd_jwt_too_large'],
  ['a string of dots', async () => `${'.'.repeat(60_000)}~`, 'sd_jwt_malformed'],
];

describe('verifySdJwtVc on hostile input', () => {
  it('accepts the untampered presentation (the baseline every case departs from)', async () => {
    const result = await verifySdJwtVc(await withKb(presented, holder), options);
    expect(result.problems).toEqual([]);
    expect(result.view?.claims).toEqual({ age_over_18: true, region: { province: '江苏省' } });
  });

  // One object per row: with a row shorter than the test function's arity, Jest would pass a `done` callback.
  it.each(cases.map(([name, build, code, extra]) => ({ name, build, code, extra })))('$name → $code', async ({ build, code, extra }) => {
    const input = await build();
    const start = process.hrtime.bigint();
    const result = await verifySdJwtVc(input, { ...options, ...extra });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(result.ok).toBe(false);
    expect([...new Set(result.problems.map((p) => p.code))]).toEqual([code]);
    for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(0);
    // Bounded work: a generous ceiling that only a super-linear path would break.
    expect(ms).toBeLessThan(1000);
  });

  it('covers at least 30 distinct problem codes', () => {
    const codes = new Set(cases.map(([, , code]) => code));
    expect(codes.size).toBeGreaterThanOrEqual(30);
  });
});
