import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { createPublicKey, verify } from 'node:crypto';
import { SAMPLE_CLAIMS } from '../../../../../test/support/sample-claims.js';
import {
  AUDIENCE,
  KID,
  ISSUER_DID,
  NONCE,
  NOW,
  STATUS,
  addressIssuer,
  decodePart,
  disclosuresOf,
  ecKey,
  issue,
  issuerKey,
  resolveIssuerKey,
  type TestKey,
} from '../../../../../test/support/sd-jwt-fixtures.js';
import { schemaReference } from '../../catalog/index.js';
import { presentSdJwtVc, verifySdJwtVc, type DcqlClaimPath } from './index.js';

const p256 = ecKey('P-256');
const k1 = ecKey('secp256k1');

const present = (sdJwt: string, holder: TestKey, claimPaths: DcqlClaimPath[]) =>
  presentSdJwtVc(sdJwt, { claimPaths, nonce: NONCE, audience: AUDIENCE, holderSigner: holder.sign, holderAlg: holder.alg, now: NOW });
const check = (presentation: string) =>
  verifySdJwtVc(presentation, { resolveIssuerKey, expectedNonce: NONCE, expectedAudience: AUDIENCE, now: new Date(NOW.getTime() + 5000), maxKbAgeSeconds: 300 });

/** Everything an observer of the presentation can read: the raw string and every decoded part. */
function readable(presentation: string): string {
  const [jwt, ...rest] = presentation.split('~');
  const decoded = [...jwt!.split('.').slice(0, 2), ...rest.slice(0, -1)].map((part) => JSON.stringify(decodePart(part)));
  return `${presentation}\n${decoded.join('\n')}`;
}

describe('SD-JWT VC round trip', () => {
  it.each<[string, string, TestKey, DcqlClaimPath[], Record<string, unknown>, string[]]>([
    [
      'an ID card: over 18 and province only',
      'NationalIdCredential',
      p256,
      [['age_over_18'], ['region', 'province']],
      { age_over_18: true, region: { province: '江苏省' } },
      ['1990-03-07', '320102199003071239', '张三', 'ZHANG San', '中山路', '南京市', '玄武区', 'age_over_65', 'birthDate'],
    ],
    [
      'an ID card: name and whole region',
      'NationalIdCredential',
      k1,
      [['nameZh'], ['region']],
      { nameZh: '张三', region: { province: '江苏省', city: '南京市' } },
      ['1990-03-07', '320102199003071239', 'ZHANG San', '中山路', 'age_over_18'],
    ],
    [
      'a diploma: level, institution and year without the graduate',
      'EducationCredential',
      k1,
      [['degree_level'], ['institution'], ['graduation_year']],
      { degree_level: 6, institution: 'Nanjing University', graduation_year: 2024 },
      ['LI Si', '李四', '102841202405000123', '2024-06-30', 'Computer Science'],
    ],
    [
      'a property: district, use and area without owners or address',
      'PropertyCredential',
      p256,
      [['region', 'district'], ['use'], ['area']],
      { region: { district: '玄武区' }, use: 'residential', area: 89.57 },
      ['王芳', '11010519491231002X', '北京东路', '0012345', '320102003005GB00012F00010001', 'coOwners'],
    ],
    [
      'a property: co-owner names only (every array element)',
      'PropertyCredential',
      k1,
      [['coOwners', null, 'name']],
      { coOwners: [{ name: '王芳' }] },
      ['11010519491231002X', '北京东路', 'share'],
    ],
  ])('%s', async (_name, type, holder, paths, expected, hidden) => {
    const credential = await issue(type, SAMPLE_CLAIMS[type as keyof typeof SAMPLE_CLAIMS], holder);
    const presentation = await present(credential, holder, paths);
    const result = await check(presentation);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.view?.claims).toEqual(expected);
    expect(result.view).toMatchObject({ issuer: ISSUER_DID, kid: KID, type, holderKey: holder.jwk, statusEntries: STATUS, keyBinding: { nonce: NONCE, audience: AUDIENCE } });
    const text = readable(presentation);
    for (const value of hidden) expect(text).not.toContain(value);
  });

  it('issues the payload, header and decoys the format asks for', async () => {
    const credential = await issue('NationalIdCredential', SAMPLE_CLAIMS.NationalIdCredential, p256);
    expect(credential.endsWith('~')).toBe(true);
    const [h, p] = credential.split('~')[0]!.split('.');
    expect(decodePart(h!)).toEqual({ typ: 'dc+sd-jwt', alg: 'ES256K', kid: KID });
    const payload = decodePart(p!) as Record<string, unknown> & { _sd: string[] };
    expect(payload).toMatchObject({
      iss: ISSUER_DID,
      vct: 'urn:govcred:vct:NationalIdCredential:1',
      iat: Math.floor(NOW.getTime() / 1000),
      nbf: Date.parse('2026-01-01T00:00:00Z') / 1000,
      exp: Date.parse('2036-01-01T00:00:00Z') / 1000,
      cnf: { jwk: p256.jwk },
      status: { eip155_status_list: STATUS },
      credential_schema: schemaReference('NationalIdCredential'),
      _sd_alg: 'sha-256',
    });
    // 10 claims + 5 ages + region at the top, plus 1–4 decoys.
    const top = disclosuresOf(credential).filter((d) => d.length === 3 && !['province', 'city'].includes(d[1] as string));
    expect(top).toHaveLength(16);
    expect(payload._sd.length).toBeGreaterThanOrEqual(17);
    expect(payload._sd.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(payload)).not.toContain('张三');
    for (const [salt] of disclosuresOf(credential)) expect(Buffer.from(salt as string, 'base64url')).toHaveLength(16);
  });

  it('verifies an issued credential without key binding when told so, and refuses it as a presentation', async () => {
    const credential = await issue('EducationCredential', SAMPLE_CLAIMS.EducationCredential, k1);
    const issued = await verifySdJwtVc(credential, { resolveIssuerKey, now: NOW, requireKeyBinding: false });
    expect(issued.ok).toBe(true);
    expect(issued.view?.claims).toMatchObject({ ...SAMPLE_CLAIMS.EducationCredential, degree_level: 6 });
    expect((await check(credential)).problems.map((p) => p.code)).toEqual(['kb_jwt_missing']);
  });

  it('verifies an issuer whose did:ethr key is an address (key recovered from the signature)', async () => {
    const agency = addressIssuer();
    const credential = await issue('NationalIdCredential', SAMPLE_CLAIMS.NationalIdCredential, p256, { signer: agency.sign });
    const presentation = await present(credential, p256, [['age_over_18']]);
    const good = await verifySdJwtVc(presentation, { resolveIssuerKey: async () => ({ ethereumAddress: agency.address }), now: NOW, expectedNonce: NONCE });
    expect(good.ok).toBe(true);
    const other = await verifySdJwtVc(presentation, { resolveIssuerKey: async () => ({ ethereumAddress: addressIssuer().address }), now: NOW });
    expect(other.problems.map((p) => p.code)).toEqual(['sd_jwt_signature_invalid']);
  });

  it('refuses a holder algorithm that does not fit cnf.jwk (caller misuse)', async () => {
    const credential = await issue('NationalIdCredential', SAMPLE_CLAIMS.NationalIdCredential, p256);
    await expect(present(credential, { ...p256, alg: 'ES256K' }, [['age_over_18']])).rejects.toThrow(RangeError);
  });
});

describe('independent check with @sd-jwt/sd-jwt-vc’s own verifier', () => {
  /** A verifier knowing only the issuer's public key: node:crypto ES256K over the JWK. */
  const issuerVerifier = async (data: string, signature: string) =>
    verify('sha256', Buffer.from(data), { key: createPublicKey({ key: { ...issuerKey.jwk }, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));

  it.each(['NationalIdCredential', 'EducationCredential', 'PropertyCredential'] as const)('accepts our %s presentation', async (type) => {
    const credential = await issue(type, SAMPLE_CLAIMS[type], p256);
    const presentation = await present(credential, p256, [['region'], ['degree_level'], ['use']]);
    const library = new SDJwtVcInstance({
      hasher: digest,
      verifier: issuerVerifier,
      kbVerifier: await ES256.getVerifier(p256.jwk),
      // Status comes from the chain mirror: the library must never fetch anything.
      statusListFetcher: async () => {
        throw new Error('status must not be fetched');
      },
    });
    const result = await library.verify(presentation, { keyBindingNonce: NONCE, currentDate: Math.floor(NOW.getTime() / 1000) });
    expect(result.header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'ES256K' });
    expect(result.kb?.payload).toMatchObject({ nonce: NONCE, aud: AUDIENCE });
    expect(result.payload.vct).toBe(`urn:govcred:vct:${type}:1`);
    const ours = await check(presentation);
    expect(ours.ok).toBe(true);
    for (const [name, value] of Object.entries(ours.view!.claims)) expect(result.payload[name]).toEqual(value);
    // The same library refuses a signature with its first character changed (a full 6 bits of r).
    const jwt = credential.split('~')[0]!;
    const cut = jwt.lastIndexOf('.') + 1;
    const forged = `${jwt.slice(0, cut)}${jwt[cut] === 'A' ? 'B' : 'A'}${jwt.slice(cut + 1)}${credential.slice(jwt.length)}`;
    await expect(library.verify(forged, { currentDate: Math.floor(NOW.getTime() / 1000) })).rejects.toThrow();
  });
});

describe('figures (printed, not asserted on time)', () => {
  it('issue, present and verify per operation', async () => {
    const runs = 40;
    const claims = SAMPLE_CLAIMS.NationalIdCredential;
    const time = async (fn: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < runs; i++) await fn();
      return Number(process.hrtime.bigint() - start) / 1e6 / runs;
    };
    const credential = await issue('NationalIdCredential', claims, p256);
    const presentation = await present(credential, p256, [['age_over_18'], ['region', 'province']]);
    const figures = {
      issueMs: await time(() => issue('NationalIdCredential', claims, p256)),
      presentMs: await time(() => present(credential, p256, [['age_over_18'], ['region', 'province']])),
      verifyMs: await time(() => check(presentation)),
      credentialChars: credential.length,
      presentationChars: presentation.length,
    };
    console.log(`SD-JWT VC NationalIdCredential (ES256K issuer, P-256 holder): ${JSON.stringify(figures)}`);
    expect((await check(presentation)).ok).toBe(true);
  });
});
