import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ClaimError, CredentialTypeDefinition } from './definition.js';
import { pointerSegment } from './fields.js';
import { getCredentialType } from './registry.js';

/**
 * One ajv instance for the catalog. `allErrors` so a form can show every problem at once; `strict` so a schema
 * mistake fails loudly at first use; `multipleOfPrecision` because `multipleOf: 0.01` is otherwise judged in
 * binary floating point (123.45 / 0.01 = 12345.000000000002 would be rejected).
 */
const ajv = new Ajv2020({ allErrors: true, strict: true, multipleOfPrecision: 9 });
// ajv-formats is CommonJS: under Node's ESM interop its plugin is the `default` member of module.exports.
addFormats.default(ajv, ['date']);

/** Compiled once per definition, on first use. */
const validators = new WeakMap<CredentialTypeDefinition, ValidateFunction>();

function validatorFor(definition: CredentialTypeDefinition): ValidateFunction {
  let validate = validators.get(definition);
  if (!validate) {
    validate = ajv.compile(definition.schema);
    validators.set(definition, validate);
  }
  return validate;
}

/**
 * Validates `claims` (a `credentialSubject` without `id`) against the type's JSON Schema and its semantic
 * checks. Never throws on untrusted `claims`. A schema error hides semantic errors at the same path, above or
 * below it (a share sum is meaningless when one share is malformed), so each claim reports its most basic error.
 * @throws RangeError for a type the catalog does not know: callers check `getCredentialType` first.
 */
export function validateClaims(type: string, claims: unknown): { ok: true } | { ok: false; errors: ClaimError[] } {
  const definition = getCredentialType(type);
  if (!definition) throw new RangeError(`unknown credential type: ${String(type)}`);
  const validate = validatorFor(definition);
  const errors = validate(claims) ? [] : toClaimErrors(validate.errors ?? []);
  if (definition.semanticCheck && isPlainObject(claims)) {
    const schemaPaths = errors.map((e) => e.path);
    for (const error of definition.semanticCheck(claims)) {
      if (!schemaPaths.some((path) => related(path, error.path))) errors.push(error);
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/** Maps ajv errors to claim errors, one per path and code (an `anyOf` reports each branch; one is enough). */
export function toClaimErrors(ajvErrors: readonly ErrorObject[]): ClaimError[] {
  const seen = new Set<string>();
  const out: ClaimError[] = [];
  for (const e of ajvErrors) {
    const error = toClaimError(e);
    const key = `${error.code} ${error.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(error);
  }
  return out;
}

function toClaimError(e: ErrorObject): ClaimError {
  if (e.keyword === 'required') {
    const path = `${e.instancePath}/${pointerSegment((e.params as { missingProperty: string }).missingProperty)}`;
    return { path, code: 'claim_missing', message: `${path} is required` };
  }
  if (e.keyword === 'additionalProperties') {
    const path = `${e.instancePath}/${pointerSegment((e.params as { additionalProperty: string }).additionalProperty)}`;
    return { path, code: 'claim_not_allowed', message: `${path} is not a claim of this credential type` };
  }
  return { path: e.instancePath, code: 'claim_invalid', message: `${e.instancePath || 'claims'} ${e.message ?? 'is invalid'}` };
}

/** Same JSON Pointer, or one inside the other. */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
