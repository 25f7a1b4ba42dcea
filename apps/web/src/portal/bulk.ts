import { parseCsv, toCsv } from '../shared/csv';
import { claimsOf, formProblems, type FieldProblem, type FormField } from './schema-form';

/** One CSV row turned into claims, or the problems that keep it from being sent. */
export interface BulkRow {
  /** 1-based line number in the file (line 1 is the header). */
  line: number;
  values: Record<string, string>;
  claims?: Record<string, unknown>;
  problems?: Record<string, FieldProblem>;
}

/** Rows sent per request: small enough for a visible progress bar, large enough to be quick. */
export const CHUNK = 20;

/**
 * Reads a class list: the header names the fields; unknown columns are problems of the file (a typo would
 * otherwise drop a claim silently). Each row is checked as the form would check it.
 */
export function readClassList(text: string, fields: FormField[]): { rows: BulkRow[]; unknownColumns: string[] } {
  const [header = [], ...lines] = parseCsv(text);
  const names = header.map((h) => h.trim());
  const known = new Set(fields.map((f) => f.name));
  const unknownColumns = names.filter((n) => n !== '' && !known.has(n));
  const rows = lines.map((cells, i): BulkRow => {
    const values: Record<string, string> = {};
    names.forEach((name, c) => {
      if (known.has(name)) values[name] = cells[c] ?? '';
    });
    const problems = formProblems(fields, values);
    return Object.keys(problems).length > 0 ? { line: i + 2, values, problems } : { line: i + 2, values, claims: claimsOf(fields, values) };
  });
  return { rows, unknownColumns };
}

/** A template with the type's field names as the header. */
export function template(fields: FormField[]): string {
  return toCsv([fields.map((f) => f.name)]);
}

/** One offer made for a row (`POST /oid4vci/offers/bulk` result). */
export interface RowOutcome {
  line: number;
  offerUri?: string;
  txCode?: string;
  expiresAt?: string;
  error?: string;
}

/** The download: the row's line and its name columns, so the clerk can hand each citizen their own link and PIN. */
export function offersCsv(rows: BulkRow[], outcomes: RowOutcome[], nameFields: string[]): string {
  const byLine = new Map(outcomes.map((o) => [o.line, o]));
  return toCsv([
    ['line', ...nameFields, 'offerUri', 'pin', 'expiresAt', 'error'],
    ...rows.map((row) => {
      const o = byLine.get(row.line);
      return [row.line, ...nameFields.map((n) => row.values[n] ?? ''), o?.offerUri ?? '', o?.txCode ?? '', o?.expiresAt ?? '', o?.error ?? ''];
    }),
  ]);
}
