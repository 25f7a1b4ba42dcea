import type { Resolvable } from 'did-resolver';
import { Oid4vciIssuerService } from './issuer.js';
import { MemoryOid4vciStore } from './memory-store.js';
import { oid4vciEndpoints } from './metadata.js';

const resolver = {} as Resolvable;
const make = (credentialIssuer: string, extra: Partial<ConstructorParameters<typeof Oid4vciIssuerService>[0]> = {}) =>
  new Oid4vciIssuerService({
    credentialIssuer,
    configurations: { id_card: { type: 'NationalIdCredential' }, title: { type: 'PropertyCredential' } },
    display: [
      { name: '南京市不动产登记中心', locale: 'zh-CN' },
      { name: 'Nanjing Real Estate Registration Center', locale: 'en' },
    ],
    store: new MemoryOid4vciStore(),
    resolver,
    ...extra,
  });

test('endpoints live under the issuer; well-known metadata is inserted before its path (OID4VCI §12.2.2, RFC 8414 §3.1)', () => {
  expect(oid4vciEndpoints('https://gov.example/oid4vci/psb')).toEqual({
    token: 'https://gov.example/oid4vci/psb/token',
    nonce: 'https://gov.example/oid4vci/psb/nonce',
    credential: 'https://gov.example/oid4vci/psb/credential',
    credentialOffers: 'https://gov.example/oid4vci/psb/offers',
    credentialIssuerMetadata: 'https://gov.example/.well-known/openid-credential-issuer/oid4vci/psb',
    authorizationServerMetadata: 'https://gov.example/.well-known/oauth-authorization-server/oid4vci/psb',
  });
  expect(oid4vciEndpoints('https://gov.example').credentialIssuerMetadata).toBe('https://gov.example/.well-known/openid-credential-issuer');
});

test('issuer metadata: the agency names, one jwt_vc_json configuration per type, labelled from the catalog', () => {
  const metadata = make('https://gov.example/oid4vci/land').credentialIssuerMetadata();
  expect(metadata).toMatchObject({
    credential_issuer: 'https://gov.example/oid4vci/land',
    credential_endpoint: 'https://gov.example/oid4vci/land/credential',
    nonce_endpoint: 'https://gov.example/oid4vci/land/nonce',
    display: [{ name: '南京市不动产登记中心', locale: 'zh-CN' }, { locale: 'en' }],
  });
  expect(metadata.authorization_servers).toBeUndefined();
  const title = metadata.credential_configurations_supported.title as Record<string, any>;
  expect(title).toMatchObject({
    format: 'jwt_vc_json',
    credential_definition: { type: ['VerifiableCredential', 'PropertyCredential'] },
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256K'] } },
    cryptographic_binding_methods_supported: ['did:ethr'],
  });
  expect(title.credential_metadata.display).toEqual([
    { name: '不动产权证书', locale: 'zh-CN', description: '不动产权利登记信息' },
    { name: 'Real Estate Title Certificate', locale: 'en', description: 'Registered real-estate rights' },
  ]);
  // Claims path pointers (Appendix C): array elements are `null`.
  expect(title.credential_metadata.claims).toContainEqual({
    path: ['credentialSubject', 'coOwners', null, 'share'],
    display: [
      { name: '共有份额（%）', locale: 'zh-CN' },
      { name: 'Co-owner share (%)', locale: 'en' },
    ],
  });
  expect(title.credential_metadata.claims).toContainEqual(expect.objectContaining({ path: ['credentialSubject', 'area'] }));
});

test('authorization server metadata: token endpoint, pre-authorized grant, anonymous access', () => {
  expect(make('https://gov.example/oid4vci/land').authorizationServerMetadata()).toEqual({
    issuer: 'https://gov.example/oid4vci/land',
    token_endpoint: 'https://gov.example/oid4vci/land/token',
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  });
});

test('metadata handed out are copies', () => {
  const service = make('https://gov.example/oid4vci/land');
  (service.credentialIssuerMetadata() as Record<string, unknown>).credential_endpoint = 'https://evil.example';
  expect(service.credentialIssuerMetadata().credential_endpoint).toBe('https://gov.example/oid4vci/land/credential');
});

it.each<[string, () => unknown]>([
  ['plain http without allowHttp', () => make('http://127.0.0.1:4000/oid4vci/psb')],
  ['a trailing slash', () => make('https://gov.example/oid4vci/psb/')],
  ['a query', () => make('https://gov.example/oid4vci?agency=psb')],
  ['no configurations', () => make('https://gov.example/oid4vci/psb', { configurations: {} })],
  ['a type the catalog does not know', () => make('https://gov.example/oid4vci/psb', { configurations: { x: { type: 'PassportCredential' } } })],
])('refuses to build an issuer with %s', (_name, build) => {
  expect(build).toThrow(RangeError);
});

test('plain http is allowed for a devnet when asked for', () => {
  expect(make('http://127.0.0.1:4000/oid4vci/psb', { allowHttp: true }).endpoints.token).toBe('http://127.0.0.1:4000/oid4vci/psb/token');
});

test('batch_credential_issuance is announced only for batches of 2 or more (OID4VCI 1.0 §12.2.4); other sizes are caller misuse', () => {
  expect(make('https://gov.example/oid4vci/psb').credentialIssuerMetadata()).not.toHaveProperty('batch_credential_issuance');
  expect(make('https://gov.example/oid4vci/psb', { batchSize: 1 }).credentialIssuerMetadata()).not.toHaveProperty('batch_credential_issuance');
  expect(make('https://gov.example/oid4vci/psb', { batchSize: 10 }).credentialIssuerMetadata().batch_credential_issuance).toEqual({ batch_size: 10 });
  for (const batchSize of [0, 1.5, 51]) expect(() => make('https://gov.example/oid4vci/psb', { batchSize })).toThrow(RangeError);
});
