import { citizenIdCheckCharacter, parseCitizenId } from '../../../../libs/credentials/src/catalog/citizen-id.js';

/**
 * The issue form, generated from a credential type's JSON Schema as the issuer serves it
 * (`GET /credential-types/:type`). The checks here mirror the schema for quick feedback as people type; the
 * issuer validates again with the full catalog rules (its answer is shown on the fields too).
 */

/** The part of a JSON Schema property the form understands. */
export interface PropertySchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: PropertySchema[];
  items?: PropertySchema;
  properties?: Record<string, PropertySchema>;
  required?: string[];
  maxItems?: number;
}

/**
 * How one claim is entered. `list`: an array of objects of plain fields (the co-owners of a title), entered as
 * repeated groups of inputs; `json`: any other array or object, as JSON text (no type of the catalog has one).
 */
export type FieldKind = 'text' | 'date' | 'select' | 'number' | 'boolean' | 'citizen-id' | 'list' | 'json';

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  schema: PropertySchema;
  /** Choices of a select. */
  options?: string[];
  /** The fields of each item of a list. */
  items?: FormField[];
}

/** The shape the catalog gives a 公民身份号码 (its check character is checked on top, per GB 11643-1999). */
const CITIZEN_ID_PATTERN = '^[0-9]{17}[0-9X]$';

function kindOf(schema: PropertySchema): FieldKind {
  if (schema.pattern === CITIZEN_ID_PATTERN) return 'citizen-id';
  if (schema.enum) return 'select';
  if (schema.format === 'date') return 'date';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  if (schema.type === 'boolean') return 'boolean';
  if (isListSchema(schema)) return 'list';
  if (schema.type === 'array' || schema.type === 'object') return 'json';
  return 'text';
}

/** An array of objects whose members are all entered as plain inputs. */
function isListSchema(schema: PropertySchema): boolean {
  const item = schema.items;
  if (schema.type !== 'array' || item?.type !== 'object' || !item.properties) return false;
  return Object.values(item.properties).every((member) => !['list', 'json'].includes(kindOf(member)));
}

/** The fields of a type's claims schema, in its order. */
export function formFields(schema: { properties?: Record<string, PropertySchema>; required?: string[] }): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const kind = kindOf(property);
    return {
      name,
      kind,
      required: required.has(name),
      schema: property,
      ...(kind === 'select' ? { options: property.enum!.map(String) } : {}),
      ...(kind === 'list' ? { items: formFields(property.items!) } : {}),
    };
  });
}

/** One item of a list as entered: each member's raw input. */
export type ListRow = Record<string, string>;

/**
 * The items of a list field's raw value: a JSON array of objects (the form writes it; a CSV cell may hold it,
 * numbers as numbers). Empty: no items. Undefined when it is not such an array.
 */
export function listRows(raw: string): ListRow[] | undefined {
  const value = raw.trim();
  if (value === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row))) return undefined;
  return parsed.map((row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).map(([member, v]) => [member, v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)])),
  );
}

/** The problem of each member of each item of a list (only members with one); a member the item may not have is one. */
export function listRowProblems(field: FormField, rows: ListRow[]): Array<Record<string, FieldProblem>> {
  const members = new Map((field.items ?? []).map((member) => [member.name, member]));
  return rows.map((row) => {
    const problems: Record<string, FieldProblem> = {};
    for (const member of members.values()) {
      const problem = fieldProblem(member, row[member.name] ?? '');
      if (problem) problems[member.name] = problem;
    }
    for (const name of Object.keys(row)) if (!members.has(name)) problems[name] = { key: 'field.invalid' };
    return problems;
  });
}

/** A problem with one field: a text key and its values. */
export interface FieldProblem {
  key: string;
  values?: Record<string, string | number>;
}

function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The problem of a 公民身份号码 as typed so far, or undefined when it is valid. */
export function citizenIdProblem(value: string): FieldProblem | undefined {
  if (!new RegExp(CITIZEN_ID_PATTERN).test(value)) return { key: 'field.citizenIdShape' };
  if (parseCitizenId(value)) return undefined;
  const expected = citizenIdCheckCharacter(value.slice(0, 17));
  if (expected !== value[17]) return { key: 'field.citizenIdCheck', values: { expected } };
  return { key: 'field.citizenIdDate' };
}

/** Checks one string against one schema alternative; the text key of the first problem. */
function checkString(value: string, schema: PropertySchema): FieldProblem | undefined {
  if (schema.const !== undefined) return value === schema.const ? undefined : { key: 'field.invalid' };
  if (schema.enum) return schema.enum.map(String).includes(value) ? undefined : { key: 'field.invalid' };
  if (schema.format === 'date' && !isRealDate(value)) return { key: 'field.date' };
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) return { key: 'field.tooLong', values: { max: schema.maxLength } };
  if (schema.pattern !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      pattern = undefined; // A pattern this browser cannot compile: the issuer checks it.
    }
    if (pattern && !pattern.test(value)) return { key: 'field.invalid' };
  }
  return undefined;
}

/** The problem of one field's raw input, or undefined. */
export function fieldProblem(field: FormField, raw: string): FieldProblem | undefined {
  const value = raw.trim();
  if (field.kind === 'list') {
    // No items is an empty list (a title without co-owners): the claim is there.
    const rows = listRows(value);
    if (!rows) return { key: 'field.json' };
    if (field.schema.maxItems !== undefined && rows.length > field.schema.maxItems) return { key: 'field.tooMany', values: { max: field.schema.maxItems } };
    const wrong = listRowProblems(field, rows).findIndex((problems) => Object.keys(problems).length > 0);
    return wrong >= 0 ? { key: 'field.listItem', values: { item: wrong + 1 } } : undefined;
  }
  if (value === '') return field.required ? { key: 'field.required' } : undefined;
  switch (field.kind) {
    case 'citizen-id':
      return citizenIdProblem(value);
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n) || (field.schema.type === 'integer' && !Number.isInteger(n))) return { key: 'field.number' };
      if ((field.schema.minimum !== undefined && n < field.schema.minimum) || (field.schema.maximum !== undefined && n > field.schema.maximum)) return { key: 'field.invalid' };
      return undefined;
    }
    case 'boolean':
      return undefined;
    case 'json':
      try {
        JSON.parse(value);
        return undefined;
      } catch {
        return { key: 'field.json' };
      }
    default:
      if (field.schema.anyOf) return field.schema.anyOf.some((alt) => !checkString(value, alt)) ? undefined : { key: 'field.invalid' };
      return checkString(value, field.schema);
  }
}

/** The claims of the filled form (empty optional fields left out), typed as the schema wants. */
export function claimsOf(fields: FormField[], values: Record<string, string>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim();
    if (field.kind === 'list') {
      const rows = listRows(value) ?? [];
      if (rows.length > 0 || field.required) claims[field.name] = rows.map((row) => claimsOf(field.items ?? [], row));
      continue;
    }
    if (value === '') continue;
    if (field.kind === 'number') claims[field.name] = Number(value);
    else if (field.kind === 'boolean') claims[field.name] = value === 'true';
    else if (field.kind === 'json') claims[field.name] = JSON.parse(value) as unknown;
    else claims[field.name] = value;
  }
  return claims;
}

/** Every field's problem (only fields with one). */
export function formProblems(fields: FormField[], values: Record<string, string>): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  for (const field of fields) {
    const problem = fieldProblem(field, values[field.name] ?? '');
    if (problem) problems[field.name] = problem;
  }
  return problems;
}

/** The issuer's claim errors (`details.errors[].path` JSON Pointers) on the fields they name. */
export function serverProblems(details: Record<string, unknown> | undefined): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  const errors = Array.isArray(details?.errors) ? (details.errors as Array<{ path?: unknown; code?: unknown }>) : [];
  for (const error of errors) {
    const [, name, item] = typeof error.path === 'string' ? error.path.split('/') : [];
    if (!name) continue;
    // Within a list (`/coOwners/1/citizenIdNumber`): which item.
    if (item !== undefined && /^[0-9]+$/.test(item)) problems[name] ??= { key: 'field.listItem', values: { item: Number(item) + 1 } };
    problems[name] ??= { key: error.code === 'claim_missing' ? 'field.required' : error.code === 'citizen_id_invalid' ? 'field.citizenIdShape' : 'field.invalid' };
  }
  return problems;
}
