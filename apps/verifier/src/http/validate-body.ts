import { Ajv, type ValidateFunction } from 'ajv';
import { GovcredError } from '../../../../libs/credentials/src/index.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Checks a request body against a JSON Schema; a body that does not fit is the client's mistake, answered
 * 400 `invalid_request` with the schema errors (paths and messages only, never the body itself).
 */
export function validateBody<T>(schema: object, body: unknown): T {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 20).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
    throw new GovcredError('invalid_request', 'the request body does not match the API schema', { errors });
  }
  return body as T;
}
