import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { CredentialSchemaRef } from '../formats/jwt-vc/credential.js';
import type { CredentialTypeDefinition } from './definition.js';
import { getCredentialType, listCredentialTypes } from './registry.js';

/**
 * RFC 8785 JSON Canonicalization Scheme, by the `canonicalize` package (by one of RFC 8785's authors).
 * Version 2.x is the copy Veramo already installs; its typings declare an ES default export for what is a
 * CommonJS `module.exports` function, so under `nodenext` the import's type is cast to the function it is.
 */
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** `urn:govcred:schema:<type>:<version>`: the `credentialSchema.id` of every credential of this type version. */
export function schemaId(definition: Pick<CredentialTypeDefinition, 'type' | 'version'>): string {
  return `urn:govcred:schema:${definition.type}:${definition.version}`;
}

/**
 * Subresource Integrity digest (`sha256-<base64>`) of the JCS (RFC 8785) canonical JSON of `schema`, as
 * `digestSRI` of W3C VC JSON Schema §2.1. Key order and white space do not change it; any other edit does.
 */
export function schemaDigestSRI(schema: Record<string, unknown>): string {
  const canonical = canonicalize(schema);
  if (canonical === undefined) throw new TypeError('schema is not JSON');
  return `sha256-${createHash('sha256').update(canonical, 'utf8').digest('base64')}`;
}

const references = new Map<string, CredentialSchemaRef>();

/**
 * The `credentialSchema` of credentials of `type`, computed once per type (definitions are frozen).
 * @throws RangeError for a type the catalog does not know (caller misuse).
 */
export function schemaReference(type: string): CredentialSchemaRef {
  const definition = getCredentialType(type);
  if (!definition) throw new RangeError(`unknown credential type: ${String(type)}`);
  let ref = references.get(type);
  if (!ref) {
    ref = Object.freeze({ id: schemaId(definition), type: 'JsonSchema', digestSRI: schemaDigestSRI(definition.schema) });
    references.set(type, ref);
  }
  return { ...ref };
}

/**
 * The catalog type whose schema `ref` (an untrusted `credentialSchema`) names: `type` must be `JsonSchema`,
 * and both `id` and `digestSRI` must match, so a credential that claims our schema id with another schema is
 * not taken for ours. Never throws; `undefined` for anything else.
 */
export function findTypeBySchemaRef(ref: unknown): CredentialTypeDefinition | undefined {
  try {
    if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) return undefined;
    const { id, type, digestSRI } = ref as Record<string, unknown>;
    if (typeof id !== 'string' || typeof digestSRI !== 'string' || type !== 'JsonSchema') return undefined;
    for (const definition of listCredentialTypes()) {
      if (schemaId(definition) !== id) continue;
      return schemaReference(definition.type).digestSRI === digestSRI ? definition : undefined;
    }
    return undefined;
  } catch {
    // A hostile object (a throwing getter or Proxy) is just not a schema reference.
    return undefined;
  }
}
