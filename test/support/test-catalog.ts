/** A stand-in catalog for the verifier tests: a couple of types with their JSON Schemas. */
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import type { CredentialCatalogView, CredentialSchemaRef } from '../../libs/credentials/src/index.js';

const SCHEMAS: Record<string, object> = {
  TestIdCredential: {
    type: 'object',
    required: ['name', 'birthDate'],
    properties: { name: { type: 'string' }, birthDate: { type: 'string' }, address: { type: 'object' } },
  },
  TestDegreeCredential: {
    type: 'object',
    required: ['degree'],
    properties: { degree: { type: 'string' }, university: { type: 'string' } },
  },
};

/** The schema reference a credential of `type` carries. */
export function testSchemaRef(type: string): CredentialSchemaRef {
  return {
    id: `urn:govcred:schema:${type}:1`,
    type: 'JsonSchema',
    digestSRI: `sha256-${createHash('sha256').update(JSON.stringify(SCHEMAS[type])).digest('base64')}`,
  };
}

export function testCatalog(): CredentialCatalogView {
  const ajv = new Ajv({ allErrors: true });
  return {
    typeOfSchema(ref) {
      const r = ref as Partial<CredentialSchemaRef> | undefined;
      const type = Object.keys(SCHEMAS).find((t) => {
        const expected = testSchemaRef(t);
        return r?.id === expected.id && r.digestSRI === expected.digestSRI;
      });
      return type;
    },
    validateClaims(type, claims) {
      const validate = ajv.compile(SCHEMAS[type]);
      if (validate(claims)) return { ok: true };
      return { ok: false, errors: (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? '' })) };
    },
  };
}
