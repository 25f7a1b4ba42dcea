import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { GovcredError, nestedDeeperThan } from '../../../../libs/credentials/src/index.js';

/**
 * Deepest nesting of objects and arrays accepted in a JSON request body (govcred's bodies need fewer than
 * ten levels). Deeper bodies are refused before anything walks them: stringifying one for storage or a log
 * overflows the stack at a few thousand levels.
 * @default 64
 */
export const MAX_BODY_DEPTH = 64;

const ajv = new Ajv({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
// Request schemas double as OpenAPI documentation: `example` is an annotation, not a typo.
ajv.addKeyword('example');

/**
 * Compiles a request-body schema once and returns a checker that throws `invalid_request` (400) listing every
 * problem (JSON pointer + message, never the body itself), so hostile bodies never reach the services. Bodies
 * nested deeper than {@link MAX_BODY_DEPTH} are refused first.
 */
export function bodyValidator<T>(schema: JSONSchemaType<T> | object): (body: unknown) => T {
  const validate = ajv.compile(schema) as ValidateFunction<T>;
  return (body: unknown): T => {
    if (nestedDeeperThan(body, MAX_BODY_DEPTH)) {
      throw new GovcredError('invalid_request', `the request body is nested deeper than ${MAX_BODY_DEPTH} levels`, {
        errors: [{ path: '/', message: `must not nest deeper than ${MAX_BODY_DEPTH} levels` }],
      });
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 20).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
      throw new GovcredError('invalid_request', 'the request body does not match the expected shape', { errors });
    }
    return body;
  };
}
