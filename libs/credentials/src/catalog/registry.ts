import type { CredentialTypeDefinition } from './definition.js';
import { educationCredential } from './types/education.js';
import { nationalIdCredential } from './types/national-id.js';
import { propertyCredential } from './types/property.js';

/**
 * The catalog. Adding a type = one file under `types/` and one entry here; nothing else switches on names.
 * Definitions are deep-frozen so nobody can change a schema after its digest was computed and cached.
 */
const DEFINITIONS: readonly CredentialTypeDefinition[] = [nationalIdCredential, educationCredential, propertyCredential].map(deepFreeze);

const BY_TYPE = new Map<string, CredentialTypeDefinition>();
for (const definition of DEFINITIONS) {
  if (BY_TYPE.has(definition.type)) throw new Error(`duplicate credential type in catalog: ${definition.type}`);
  BY_TYPE.set(definition.type, definition);
}

/** Every credential type of the catalog, in a stable order. */
export function listCredentialTypes(): CredentialTypeDefinition[] {
  return [...DEFINITIONS];
}

/** The definition of `type`, or `undefined` for a type the catalog does not know (safe on untrusted input). */
export function getCredentialType(type: string): CredentialTypeDefinition | undefined {
  return typeof type === 'string' ? BY_TYPE.get(type) : undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
