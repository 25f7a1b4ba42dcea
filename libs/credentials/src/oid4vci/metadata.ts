import type { AuthorizationServerMetadata } from '@openid4vc/oauth2';
import type { CredentialIssuerMetadata } from '@openid4vc/openid4vci';
import { getCredentialType } from '../catalog/registry.js';
import type { CredentialTypeDefinition } from '../catalog/definition.js';

/** The format govcred issues over OID4VCI: the W3C VC as a JWT (OID4VCI 1.0 Appendix A.1.1). */
export const OID4VCI_FORMAT = 'jwt_vc_json';
/** Holder proofs and credentials are both secp256k1 (did:ethr keys). */
export const OID4VCI_PROOF_ALG = 'ES256K';
/** Pre-authorized code grant type (OID4VCI 1.0 §3.5). */
export const PRE_AUTHORIZED_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const LOCALES = ['zh-CN', 'en'] as const;

/** A name of the credential issuer (the agency) in one language: `display` of the issuer metadata (§12.2.4). */
export interface Oid4vciDisplay {
  name: string;
  locale: string;
}

/** What a credential configuration offers: a catalog type, issued as `jwt_vc_json`. */
export interface Oid4vciConfiguration {
  /** Catalog type name, e.g. `NationalIdCredential`. */
  type: string;
}

/** The endpoints of a credential issuer, all under its identifier (which is also its authorization server). */
export interface Oid4vciEndpoints {
  token: string;
  nonce: string;
  credential: string;
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
    credentialIssuerMetadata: `${url.origin}/.well-known/openid-credential-issuer${path}`,
    authorizationServerMetadata: `${url.origin}/.well-known/oauth-authorization-server${path}`,
  };
}

/**
 * The Credential Issuer Metadata (OID4VCI 1.0 §12.2.4) of one issuer: its display names and one
 * `jwt_vc_json` configuration per offered catalog type, with the catalog's labels as display and claim names.
 * `credential_metadata` makes it 1.0 metadata (the library tells versions apart by it).
 * @throws RangeError for a configuration whose type the catalog does not know (caller misuse).
 */
export function credentialIssuerMetadata(
  credentialIssuer: string,
  display: Oid4vciDisplay[],
  configurations: Record<string, Oid4vciConfiguration>,
): CredentialIssuerMetadata {
  const endpoints = oid4vciEndpoints(credentialIssuer);
  const supported = Object.fromEntries(
    Object.entries(configurations).map(([id, { type }]) => {
      const definition = getCredentialType(type);
      if (!definition) throw new RangeError(`unknown credential type in configuration ${id}: ${type}`);
      return [id, configurationMetadata(definition)];
    }),
  );
  return {
    credential_issuer: credentialIssuer,
    credential_endpoint: endpoints.credential,
    nonce_endpoint: endpoints.nonce,
    ...(display.length > 0 ? { display } : {}),
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
