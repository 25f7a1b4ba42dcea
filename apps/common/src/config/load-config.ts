import { Ajv, type JSONSchemaType } from 'ajv';

/**
 * Reads a service's settings from the environment and checks them against `schema` at boot: each setting
 * declares its type, description and default in the schema; a missing or malformed one stops the service
 * with a message naming every problem. Numbers and booleans are converted from their string form.
 */
export function loadConfig<T>(schema: JSONSchemaType<T>, env: Record<string, string | undefined> = process.env): T {
  const ajv = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: true, removeAdditional: true });
  const validate = ajv.compile(schema);
  const properties = Object.keys((schema as { properties?: object }).properties ?? {});
  const input: Record<string, unknown> = {};
  for (const key of properties) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || e.params.missingProperty || '(config)'} ${e.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return input as T;
}
