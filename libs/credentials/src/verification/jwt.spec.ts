import { ES256KSigner, createJWT } from 'did-jwt';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { Wallet, getBytes } from 'ethers';
import { ethrDid } from '../did/resolver.js';
import { decodeJwt, verifyJwtSignature, type DecodedJwt } from './jwt.js';
import { JWT_LIMITS } from './limits.js';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jws = (header: unknown, payload: unknown, signature = 'c2ln') => `${b64(header)}.${b64(payload)}.${signature}`;
const ES256K = { alg: 'ES256K', typ: 'JWT' };

describe('decodeJwt', () => {
  const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  test.each<[string, string, unknown, number?]>([
    ['crit naming an extension', 'jwt_crit_unsupported', jws({ ...ES256K, crit: ['b64'], b64: false }, {})],
    ['crit naming an absent parameter', 'jwt_crit_unsupported', jws({ ...ES256K, crit: ['exp'] }, {})],
    ['crit empty', 'jwt_malformed', jws({ ...ES256K, crit: [] }, {})],
    ['crit not an array', 'jwt_malformed', jws({ ...ES256K, crit: 'b64' }, {})],
    ['crit with a non-string', 'jwt_malformed', jws({ ...ES256K, crit: [1] }, {})],
    ['crit null', 'jwt_malformed', jws({ ...ES256K, crit: null }, {})],
    ['longer than the limit', 'jwt_too_large', `${jws(ES256K, {})}${'a'.repeat(JWT_LIMITS.credentialJwtLength)}`],
    ['payload one level too deep', 'jwt_too_deep', jws(ES256K, deep(JWT_LIMITS.jsonDepth + 1))],
    ['payload at the depth limit', 'ok', jws(ES256K, deep(JWT_LIMITS.jsonDepth))],
    ['payload nested 20,000 levels (presentation limit)', 'jwt_too_deep', jws(ES256K, deep(20_000)), JWT_LIMITS.presentationJwtLength],
    ['header nested too deep', 'jwt_too_deep', jws(`{"alg":"ES256K","x":${'['.repeat(17)}${']'.repeat(17)}}`, {})],
    ['payload with too many values', 'jwt_too_large', jws(ES256K, `[${'0,'.repeat(JWT_LIMITS.jsonValues)}0]`)],
    ['four parts', 'jwt_malformed', `${jws(ES256K, {})}.x`],
    ['no signature', 'jwt_malformed', jws(ES256K, {}, '')],
    ['alg none', 'alg_not_allowed', jws({ alg: 'none' }, {})],
    // A rest parameter: a fourth declared one would make Jest pass `done` to the rows that have no limit.
  ])('%s → %s', (_name, code, input, ...limit) => {
    const result = decodeJwt(input, limit[0]);
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });

  test('depth and values inside strings do not count; quoted brackets are text', () => {
    const payload = { s: `${'['.repeat(100)}\\"{${','.repeat(JWT_LIMITS.jsonValues + 10)}`, nested: { a: { b: { c: [1, [2, [3]]] } } } };
    expect(decodeJwt(jws(ES256K, payload)).ok).toBe(true);
  });

  test('a problem message never echoes large input', () => {
    const result = decodeJwt(jws({ alg: 'x'.repeat(5000) }, {}));
    expect(result.ok).toBe(false);
    expect((result as { message: string }).message.length).toBeLessThan(200);
  });

  test('a presentation-sized JWT is read with the presentation limit only', () => {
    const big = jws(ES256K, { vp: { verifiableCredential: ['x'.repeat(100_000)] } });
    expect(decodeJwt(big).ok).toBe(false);
    expect(decodeJwt(big, JWT_LIMITS.presentationJwtLength).ok).toBe(true);
  });
});

describe('verifyJwtSignature: did_unresolvable only when the DID document could not be had', () => {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const did = ethrDid(31337, wallet.address);
  const document: DIDResolutionResult = {
    didResolutionMetadata: {},
    didDocumentMetadata: {},
    didDocument: {
      id: did,
      verificationMethod: [{ id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${wallet.address}` }],
      authentication: [`${did}#controller`],
      assertionMethod: [`${did}#controller`],
    },
  };
  const resolves: Resolvable = { resolve: async () => structuredClone(document) };
  const outage: Resolvable = {
    resolve: async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8545');
    },
  };
  let honest: DecodedJwt;
  beforeAll(async () => {
    const jwt = await createJWT({ iss: did, sub: 'x' }, { issuer: did, signer: ES256KSigner(getBytes(wallet.privateKey)) }, { alg: 'ES256K' });
    honest = (decodeJwt(jwt) as { decoded: DecodedJwt }).decoded;
  });
  const withSignature = (bytes: Buffer): DecodedJwt => ({ ...honest, jwt: `${honest.jwt.slice(0, honest.jwt.lastIndexOf('.'))}.${bytes.toString('base64url')}` });
  // r = 5 is no x coordinate of a secp256k1 point (5³ + 7 = 132 is not a square mod p): recovery fails.
  const notAPoint = Buffer.concat([Buffer.alloc(31), Buffer.from([5]), Buffer.alloc(31), Buffer.from([1])]);

  test.each<[string, string, () => DecodedJwt, Resolvable]>([
    ['honest', 'ok', () => honest, resolves],
    ['r is not a curve point', 'signature_invalid', () => withSignature(notAPoint), resolves],
    ['r and s zero', 'signature_invalid', () => withSignature(Buffer.alloc(64)), resolves],
    ['r and s all ones (beyond the group order)', 'signature_invalid', () => withSignature(Buffer.alloc(64, 0xff)), resolves],
    ['63 bytes', 'signature_invalid', () => withSignature(notAPoint.subarray(1)), resolves],
    ['65 bytes for ES256K', 'signature_invalid', () => withSignature(Buffer.concat([notAPoint, Buffer.from([0])])), resolves],
    ['honest, but the chain cannot be read', 'did_unresolvable', () => honest, outage],
    ['resolver answers without a document', 'did_unresolvable', () => honest, { resolve: async () => ({ didResolutionMetadata: { error: 'notFound' }, didDocumentMetadata: {}, didDocument: null }) }],
  ])('%s → %s', async (_name, expected, decoded, resolver) => {
    const outcome = await verifyJwtSignature(decoded(), resolver, 'authentication');
    expect(outcome.ok ? 'ok' : outcome.reason).toBe(expected);
    if (!outcome.ok) expect(outcome.message).not.toMatch(/10\.0\.0\.7/);
  });
});

describe('verifyJwtSignature: a header `kid` must name the key that signed, listed for the purpose', () => {
  const [owner, other] = [new Wallet(Wallet.createRandom().privateKey), new Wallet(Wallet.createRandom().privateKey)];
  const did = ethrDid(31337, owner.address);
  const keyHex = other.signingKey.compressedPublicKey.slice(2);
  const resolver: Resolvable = {
    resolve: async () => ({
      didResolutionMetadata: {},
      didDocumentMetadata: {},
      didDocument: {
        id: did,
        verificationMethod: [
          { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${owner.address}` },
          { id: `${did}#delegate-1`, type: 'EcdsaSecp256k1VerificationKey2019', controller: did, publicKeyHex: keyHex },
          { id: `${did}#delegate-2`, type: 'EcdsaSecp256k1VerificationKey2019', controller: did, publicKeyHex: keyHex },
        ],
        authentication: [`${did}#controller`],
        assertionMethod: [`${did}#controller`, `${did}#delegate-1`],
      },
    }),
  };
  const signed = async (wallet: Wallet, kid?: unknown) =>
    (decodeJwt(await createJWT({ iss: did, sub: 'x' }, { issuer: did, signer: ES256KSigner(getBytes(wallet.privateKey)) }, { alg: 'ES256K', ...(kid !== undefined ? { kid } : {}) })) as { decoded: DecodedJwt }).decoded;

  test.each<[string, string, () => Wallet, unknown, 'assertionMethod' | 'authentication']>([
    ['no kid: any key of the purpose', 'ok', () => other, undefined, 'assertionMethod'],
    ['the kid of the key that signed', 'ok', () => other, `${did}#delegate-1`, 'assertionMethod'],
    ['the owner, named', 'ok', () => owner, `${did}#controller`, 'assertionMethod'],
    ['another key than the one that signed', 'signature_invalid', () => other, `${did}#controller`, 'assertionMethod'],
    ['a key not listed for the purpose', 'signature_invalid', () => other, `${did}#delegate-2`, 'assertionMethod'],
    ['a key listed for assertions only, in a presentation', 'signature_invalid', () => other, `${did}#delegate-1`, 'authentication'],
    ['a relative reference', 'signature_invalid', () => other, '#delegate-1', 'assertionMethod'],
    ['a number', 'signature_invalid', () => other, 1, 'assertionMethod'],
  ])('%s → %s', async (_name, expected, wallet, kid, purpose) => {
    const outcome = await verifyJwtSignature(await signed(wallet(), kid), resolver, purpose);
    expect(outcome.ok ? 'ok' : outcome.reason).toBe(expected);
    if (outcome.ok && typeof kid === 'string') expect(outcome.signer).toBe(kid);
  });
});
