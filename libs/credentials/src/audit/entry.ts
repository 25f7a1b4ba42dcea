import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// canonicalize is CommonJS (module.exports = function) while its typings declare an ES default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** Hash that the first entry of an audit log links to. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers (`data` parsed: identifiers only, never claims). */
export interface AuditEntryFields {
  seq: number;
  /** ISO time of the append. */
  at: string;
  /** `admin`, `agency:<id>` or `worker`. */
  actor: string;
  agencyId: string | null;
  action: string;
  data: unknown;
  /** Hash of the previous entry (hex, no 0x), {@link AUDIT_GENESIS_HASH} for the first. */
  prevHash: string;
}

/** An audit entry with its own hash, as the issuer stores and exports it. */
export interface AuditEntryRecord extends AuditEntryFields {
  hash: string;
}

/**
 * An entry's hash: sha256 (hex) over the canonical JSON (RFC 8785) of every field but the hash itself,
 * `prevHash` included, so editing an entry changes its hash and breaks the next entry's link.
 */
export function auditEntryHash(entry: AuditEntryFields): string {
  const body = canonicalize({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    agencyId: entry.agencyId,
    action: entry.action,
    data: entry.data,
    prevHash: entry.prevHash,
  });
  if (body === undefined) throw new TypeError('audit entry is not JSON');
  return createHash('sha256').update(body).digest('hex');
}

/** Canonical JSON (RFC 8785) of an entry's details, as stored. */
export function canonicalAuditData(data: Record<string, unknown>): string {
  return canonicalize(data)!;
}
