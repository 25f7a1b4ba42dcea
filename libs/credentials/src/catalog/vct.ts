import type { CredentialTypeDefinition } from './definition.js';
import { getCredentialType, listCredentialTypes } from './registry.js';

/**
 * What SD-JWT VC (draft-ietf-oauth-sd-jwt-vc) needs from the catalog: the `vct` of each type, its Type
 * Metadata (§6), the selectively disclosable claims and the derived claims.
 *
 * vct scheme: `urn:govcred:vct:<Type>:<major version>`, e.g. `urn:govcred:vct:NationalIdCredential:1`.
 * A URN rather than an https URL because verifiers hold the catalog themselves and must never fetch type
 * metadata (no call to the issuer, no hostname baked into every credential); a service may still publish the
 * metadata of {@link typeMetadata} under any URL. Only the major version is in the vct: the credential's
 * `credential_schema` pins the exact schema (id + digest), and the vct changes only when claims' meaning does.
 */
export function vctOf(definition: Pick<CredentialTypeDefinition, 'type' | 'version'>): string {
  return `urn:govcred:vct:${definition.type}:${definition.version.split('.')[0]}`;
}

/** The catalog type whose vct is `vct`; `undefined` for anything else (safe on untrusted input). */
export function findTypeByVct(vct: unknown): CredentialTypeDefinition | undefined {
  if (typeof vct !== 'string') return undefined;
  return listCredentialTypes().find((definition) => vctOf(definition) === vct);
}

/**
 * The top-level claims issued selectively disclosable: every claim of the type (all are about a person or
 * their document) and every derived claim. Nested members (array elements, their members, `region` parts)
 * are selectively disclosable too.
 */
export function selectivelyDisclosableClaims(type: string): string[] {
  const definition = required(type);
  const own = Object.keys((definition.schema.properties ?? {}) as Record<string, unknown>);
  return [...own, ...(definition.derivations ?? []).flatMap((d) => d.claims)];
}

/**
 * The derived claims of `claims` (already validated) at `now`.
 * @throws RangeError for an unknown type, or a derivation producing a claim of the type itself (a catalog bug).
 */
export function deriveClaims(type: string, claims: Record<string, unknown>, now: Date): Record<string, unknown> {
  const definition = required(type);
  const derived: Record<string, unknown> = {};
  for (const derivation of definition.derivations ?? []) {
    for (const [name, value] of Object.entries(derivation.derive(claims, { now }))) {
      if (!derivation.claims.includes(name) || Object.hasOwn(claims, name) || Object.hasOwn(derived, name)) {
        throw new RangeError(`derivation of ${type} produced an undeclared or clashing claim: ${name}`);
      }
      derived[name] = value;
    }
  }
  return derived;
}

/** One entry of Type Metadata `claims` (SD-JWT VC §8). */
export interface TypeMetadataClaim {
  /** Claim path (§9 of the draft: strings for members, `null` for every array element). */
  path: Array<string | null>;
  display: Array<{ locale: string; label: string }>;
  sd: 'always' | 'never';
}

/** SD-JWT VC Type Metadata (§6) of a catalog type. */
export interface TypeMetadata {
  vct: string;
  name: string;
  description: string;
  display: Array<{ locale: string; name: string; description: string }>;
  claims: TypeMetadataClaim[];
}

const LOCALES = ['zh-CN', 'en'] as const;

/** Registered claims every govcred SD-JWT VC carries in clear (SD-JWT VC §3.2.2.2: never selectively disclosable). */
const PLAIN_CLAIMS: Record<string, Record<(typeof LOCALES)[number], string>> = {
  iss: { 'zh-CN': '签发机构', en: 'Issuer' },
  iat: { 'zh-CN': '签发时间', en: 'Issued at' },
  nbf: { 'zh-CN': '生效时间', en: 'Valid from' },
  exp: { 'zh-CN': '失效时间', en: 'Valid until' },
  cnf: { 'zh-CN': '持有人密钥', en: 'Holder key' },
  status: { 'zh-CN': '状态', en: 'Status' },
  credential_schema: { 'zh-CN': '凭证模式', en: 'Credential schema' },
};

/**
 * Type Metadata generated from the type definition: names and claim labels in zh-CN and en from the
 * catalog's labels, `sd: always` for every claim of {@link selectivelyDisclosableClaims} (and nested parts),
 * `sd: never` for the registered claims carried in clear.
 * @throws RangeError for a type the catalog does not know.
 */
export function typeMetadata(type: string): TypeMetadata {
  const definition = required(type);
  const labels = (key: string) =>
    LOCALES.flatMap((locale) => {
      const label = definition.labels[locale].fields[key] ?? derivedLabel(definition, locale, key);
      return label ? [{ locale, label }] : [];
    });
  const claims: TypeMetadataClaim[] = [];
  const properties = (definition.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, schema] of Object.entries(properties)) {
    claims.push({ path: [name], display: labels(name), sd: 'always' });
    const items = schema.type === 'array' ? (schema.items as Record<string, unknown> | undefined) : undefined;
    if (!items) continue;
    claims.push({ path: [name, null], display: labels(name), sd: 'always' });
    for (const member of Object.keys((items.properties ?? {}) as Record<string, unknown>)) {
      claims.push({ path: [name, null, member], display: labels(`${name}.${member}`), sd: 'always' });
    }
  }
  for (const derivation of definition.derivations ?? []) {
    for (const key of Object.keys(derivation.labels.en)) claims.push({ path: key.split('.'), display: labels(key), sd: 'always' });
  }
  for (const [name, label] of Object.entries(PLAIN_CLAIMS)) {
    claims.push({ path: [name], display: LOCALES.map((locale) => ({ locale, label: label[locale] })), sd: 'never' });
  }
  return {
    vct: vctOf(definition),
    name: definition.labels.en.name,
    description: definition.labels.en.description,
    display: LOCALES.map((locale) => ({ locale, name: definition.labels[locale].name, description: definition.labels[locale].description })),
    claims,
  };
}

function derivedLabel(definition: CredentialTypeDefinition, locale: (typeof LOCALES)[number], key: string): string | undefined {
  for (const derivation of definition.derivations ?? []) {
    const label = derivation.labels[locale][key];
    if (label) return label;
  }
  return undefined;
}

function required(type: string): CredentialTypeDefinition {
  const definition = getCredentialType(type);
  if (!definition) throw new RangeError(`unknown credential type: ${String(type)}`);
  return definition;
}
