import type { AuthorizationServerMetadata } from '@openid4vc/oauth2';
import type { CredentialIssuerMetadata } from '@openid4vc/openid4vci';
import { getCredentialType } from '../catalog/registry.js';
import type { CredentialTypeDefinition } from '../catalog/definition.js';
import { typeMetadata, vctOf } from '../catalog/vct.js';

/** The W3C VC as a JWT (OID4VCI 1.0 Appendix A.1.1), bound to the holder's did:ethr. */
export const OID4VCI_FORMAT = 'jwt_vc_json';
/** SD-JWT VC (OID4VCI 1.0 Appendix A.3), bound to a holder key (`cnf.jwk`). */
export const OID4VCI_SD_JWT_FORMAT = 'dc+sd-jwt';
/** The credential formats govcred offers over OID4VCI. */
export type Oid4vciFormat = typeof OID4VCI_FORMAT | typeof OID4VCI_SD_JWT_FORMAT;
/** Credentials are signed by the agency's did:ethr key (secp256k1); `jwt_vc_json` key proofs by the holder's did:ethr key. */
export const OID4VCI_PROOF_ALG = 'ES256K';
/**
 * `dc+sd-jwt` key proofs carry the holder key as a `jwk` header (OID4VCI 1.0 §8.2.1.1), which becomes
 * `cnf.jwk`: P-256 (ES256, what most wallets and WebCrypto have) or secp256k1 (ES256K).
 */
export const OID4VCI_JWK_PROOF_ALGS: readonly string[] = ['ES256', 'ES256K'];
/** Pre-authorized code grant type (OID4VCI 1.0 §3.5). */
export const PRE_AUTHORIZED_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const LOCALES = ['zh-CN', 'en'] as const;

/** A name of the credential issuer (the agency) in one language: `display` of the issuer metadata (§12.2.4). */
export interface Oid4vciDisplay {
  name: string;
  locale: string;
}

/** What a credential configuration offers: a catalog type in one format. */
export interface Oid4vciConfiguration {
  /** Catalog type name, e.g. `NationalIdCredential`. */
  type: string;
  /** @default 'jwt_vc_json' */
  format?: Oid4vciFormat;
}

/** The endpoints of a credential issuer, all under its identifier (which is also its authorization server). */
export interface Oid4vciEndpoints {
  token: string;
  nonce: string;
  credential: string;
  /**
   * Offers by reference (§4.1.3): `GET <credentialOffers>/<reference>` answers the Credential Offer object. Not a
   * metadata parameter: wallets only ever reach it through an offer's `credential_offer_uri`.
   */
  credentialOffers: string;
  /** Where the issuer metadata is served (§12.2.2: `/.well-known/openid-credential-issuer` inserted before the path). */
  credentialIssuerMetadata: string;
  /** Where the authorization server metadata is served (RFC 8414 §3.1, same insertion rule). */
  authorizationServerMetadata: string;
}

/** The endpoint URLs of `credentialIssuer`. Routes of the hosting service must match these. */
export function oid4vciEndpoints(credentialIssuer: string): Oid4vciEndpoints {
  const url = new URL(credentialIssuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return {
    token: `${credentialIssuer}/token`,
    nonce: `${credentialIssuer}/nonce`,
    credential: `${credentialIssuer}/credential`,
    credentialOffers: `${credentialIssuer}/offers`,
    credentialIssuerMetadata: `${url.origin}/.well-known/openid-credential-issuer${path}`,
    authorizationServerMetadata: `${url.origin}/.well-known/oauth-authorization-server${path}`,
  };
}

/**
 * The Credential Issuer Metadata (OID4VCI 1.0 §12.2.4) of one issuer: its display names and a configuration
 * per offered catalog type and format, with the catalog's labels as display and claim names.
 * `credential_metadata` makes it 1.0 metadata (the library tells versions apart by it). With a `batchSize` of
 * 2 or more, `batch_credential_issuance` (§12.2.4: `batch_size` "MUST be 2 or greater") says how many key
 * proofs one credential request may carry: `dc+sd-jwt` configurations then issue one copy per key.
 * @throws RangeError for a configuration whose type the catalog does not know (caller misuse).
 */
export function credentialIssuerMetadata(
  credentialIssuer: string,
  display: Oid4vciDisplay[],
  configurations: Record<string, Oid4vciConfiguration>,
  batchSize = 1,
): CredentialIssuerMetadata {
  const endpoints = oid4vciEndpoints(credentialIssuer);
  const supported = Object.fromEntries(
    Object.entries(configurations).map(([id, { type, format }]) => {
      const definition = getCredentialType(type);
      if (!definition) throw new RangeError(`unknown credential type in configuration ${id}: ${type}`);
      return [id, format === OID4VCI_SD_JWT_FORMAT ? sdJwtConfigurationMetadata(definition) : configurationMetadata(definition)];
    }),
  );
  return {
    credential_issuer: credentialIssuer,
    credential_endpoint: endpoints.credential,
    nonce_endpoint: endpoints.nonce,
    ...(display.length > 0 ? { display } : {}),
    ...(batchSize >= 2 ? { batch_credential_issuance: { batch_size: batchSize } } : {}),
    credential_configurations_supported: supported,
  } as CredentialIssuerMetadata;
}

function configurationMetadata(definition: CredentialTypeDefinition) {
  return {
    format: OID4VCI_FORMAT,
    cryptographic_binding_methods_supported: ['did:ethr'],
    credential_signing_alg_values_supported: [OID4VCI_PROOF_ALG],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: [OID4VCI_PROOF_ALG] } },
    credential_definition: { type: ['VerifiableCredential', definition.type] },
    credential_metadata: {
      display: LOCALES.map((locale) => ({ name: definition.labels[locale].name, locale, description: definition.labels[locale].description })),
      claims: Object.keys(definition.labels.en.fields).map((field) => ({
        path: claimPath(definition, field),
        display: LOCALES.map((locale) => ({ name: definition.labels[locale].fields[field] ?? field, locale })),
      })),
    },
  };
}

/**
 * A `dc+sd-jwt` configuration (OID4VCI 1.0 Appendix A.3.2): the catalog's `vct`, holder binding by `jwk` only
 * (a did:ethr in address form names no public key to put in `cnf.jwk`), claims metadata (Appendix B.2) with
 * paths into the SD-JWT VC's own claims (no `credentialSubject`), from the type's SD-JWT VC Type Metadata:
 * the claims of the type and the derived ones, each selectively disclosable.
 */
function sdJwtConfigurationMetadata(definition: CredentialTypeDefinition) {
  const metadata = typeMetadata(definition.type);
  return {
    format: OID4VCI_SD_JWT_FORMAT,
    vct: vctOf(definition),
    cryptographic_binding_methods_supported: ['jwk'],
    credential_signing_alg_values_supported: [OID4VCI_PROOF_ALG],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...OID4VCI_JWK_PROOF_ALGS] } },
    credential_metadata: {
      display: LOCALES.map((locale) => ({ name: definition.labels[locale].name, locale, description: definition.labels[locale].description })),
      claims: metadata.claims
        .filter((claim) => claim.sd === 'always')
        .map((claim) => ({ path: claim.path, display: claim.display.map(({ locale, label }) => ({ name: label, locale })) })),
    },
  };
}

/**
 * Claims path pointer (OID4VCI 1.0 Appendix C) of a catalog field: `coOwners.share` is
 * `["credentialSubject", "coOwners", null, "share"]` because `coOwners` is an array (null = every element).
 */
function claimPath(definition: CredentialTypeDefinition, field: string): (string | null)[] {
  const path: (string | null)[] = ['credentialSubject'];
  let schema = definition.schema as { properties?: Record<string, { type?: string; items?: unknown }> };
  for (const name of field.split('.')) {
    path.push(name);
    const property = schema?.properties?.[name];
    if (property?.type === 'array') {
      path.push(null);
      schema = property.items as typeof schema;
    } else {
      schema = property as typeof schema;
    }
  }
  return path;
}

/**
 * Authorization Server metadata (RFC 8414) of a credential issuer that is its own authorization server:
 * only the token endpoint and the pre-authorized code grant, usable without client authentication
 * (OID4VCI 1.0 §12.3: `pre-authorized_grant_anonymous_access_supported`).
 */
export function authorizationServerMetadata(credentialIssuer: string): AuthorizationServerMetadata {
  return {
    issuer: credentialIssuer,
    token_endpoint: oid4vciEndpoints(credentialIssuer).token,
    grant_types_supported: [PRE_AUTHORIZED_CODE_GRANT],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
