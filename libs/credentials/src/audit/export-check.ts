import { checkAuditAnchors, type AuditAnchorEvent, type AuditStreamState } from './anchors.js';
import { AUDIT_GENESIS_HASH, auditEntryHash, type AuditEntryRecord } from './entry.js';
import { merkleRoot } from './merkle.js';

/** Identifies the export format; the first line of an export file. */
export const AUDIT_EXPORT_FORMAT = 'govcred-audit-export/1';

/** First line of an export (NDJSON: this header, then one entry per line, in sequence order). */
export interface AuditExportHeader {
  format: typeof AUDIT_EXPORT_FORMAT;
  chainId: number;
  /** AuditAnchor contract. */
  contract: string;
  /** The stream (the issuer's audit identity address). A third party should learn it from the issuer out of band. */
  stream: string;
  /** A block at or before the contract's deployment: where log scans start. */
  fromBlock: number;
  exportedAt: string;
  /** The last entry anchored when the export was made (as the issuer saw it). */
  anchoredThrough: number;
}

/** What went wrong, one code per kind. */
export type AuditExportProblemCode =
  | 'malformed_export'
  | 'entry_edited'
  | 'entry_duplicated'
  | 'entry_reordered'
  | 'entry_removed'
  | 'broken_link'
  | 'root_mismatch'
  | 'anchor_chain_broken'
  | 'unanchored_entries';

export interface AuditExportProblem {
  code: AuditExportProblemCode;
  message: string;
  seq?: number;
  anchor?: number;
}

/** Result of {@link checkAuditExport}: data, never an exception. */
export interface AuditExportCheck {
  verified: boolean;
  entries: number;
  anchors: number;
  /** Last entry anchored on chain. */
  anchoredThrough: number;
  /** Entries after the last anchor: not proven either way. */
  unanchored: number;
  problems: AuditExportProblem[];
  /** Findings that do not fail the check (unanchored entries when allowed). */
  warnings: AuditExportProblem[];
}

/** A parsed export: the header, the well-formed entries, and problems with malformed lines. */
export interface ParsedAuditExport {
  header?: AuditExportHeader;
  entries: AuditEntryRecord[];
  problems: AuditExportProblem[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const isEntry = (e: any): e is AuditEntryRecord =>
  e !== null &&
  typeof e === 'object' &&
  Number.isSafeInteger(e.seq) &&
  e.seq >= 1 &&
  typeof e.at === 'string' &&
  typeof e.actor === 'string' &&
  (e.agencyId === null || typeof e.agencyId === 'string') &&
  typeof e.action === 'string' &&
  'data' in e &&
  typeof e.prevHash === 'string' &&
  HEX64.test(e.prevHash) &&
  typeof e.hash === 'string' &&
  HEX64.test(e.hash);

/** Parses an NDJSON export; never throws (malformed lines become problems). */
export function parseAuditExport(text: string): ParsedAuditExport {
  const problems: AuditExportProblem[] = [];
  const entries: AuditEntryRecord[] = [];
  let header: AuditExportHeader | undefined;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: any;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ code: 'malformed_export', message: `line ${i + 1} is not JSON` });
      continue;
    }
    if (header === undefined && entries.length === 0 && value?.format !== undefined) {
      if (value.format !== AUDIT_EXPORT_FORMAT || typeof value.contract !== 'string' || typeof value.stream !== 'string' || !Number.isSafeInteger(value.chainId)) {
        problems.push({ code: 'malformed_export', message: `line ${i + 1}: not a ${AUDIT_EXPORT_FORMAT} header` });
      } else header = value as AuditExportHeader;
    } else if (isEntry(value)) entries.push(value);
    else problems.push({ code: 'malformed_export', message: `line ${i + 1} is not an audit entry` });
  }
  if (!header) problems.push({ code: 'malformed_export', message: `no ${AUDIT_EXPORT_FORMAT} header line` });
  return { header, entries, problems };
}

function ranges(seqs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < seqs.length; ) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j] + 1) j++;
    out.push(i === j ? `${seqs[i]}` : `${seqs[i]}–${seqs[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** The chain side of a check: what {@link readAuditAnchors} returned, for the stream and contract checked. */
export interface AuditChainView {
  chainId: number;
  contract: string;
  stream: string;
  state: AuditStreamState;
  anchors: readonly AuditAnchorEvent[];
}

/**
 * Checks an export against the chain: every entry's hash recomputed, every link, the order, nothing missing
 * up to the last anchor, every anchored range's Merkle root and count, and the anchors' own chain. Entries
 * after the last anchor are not proven either way: a problem unless `allowUnanchored`, then a warning.
 */
export function checkAuditExport(
  entries: readonly AuditEntryRecord[],
  chain: AuditChainView,
  options: { allowUnanchored?: boolean } = {},
): AuditExportCheck {
  const problems: AuditExportProblem[] = [];
  const warnings: AuditExportProblem[] = [];
  const bySeq = new Map<number, { entry: AuditEntryRecord; hash: string }>();
  let maxSeq = 0;
  for (const entry of entries) {
    let recomputed: string;
    try {
      recomputed = auditEntryHash(entry);
    } catch {
      recomputed = '';
    }
    if (recomputed !== entry.hash) problems.push({ code: 'entry_edited', seq: entry.seq, message: `entry ${entry.seq}: its content does not match its hash (edited)` });
    if (bySeq.has(entry.seq)) {
      problems.push({ code: 'entry_duplicated', seq: entry.seq, message: `entry ${entry.seq} appears more than once` });
      continue;
    }
    if (entry.seq < maxSeq) problems.push({ code: 'entry_reordered', seq: entry.seq, message: `entry ${entry.seq} appears after entry ${maxSeq} (reordered)` });
    bySeq.set(entry.seq, { entry, hash: recomputed });
    maxSeq = Math.max(maxSeq, entry.seq);
  }

  const through = chain.state.anchoredThrough;
  const last = Math.max(maxSeq, through);
  const missing: number[] = [];
  for (let seq = 1; seq <= last; seq++) {
    const here = bySeq.get(seq);
    if (!here) {
      missing.push(seq);
      continue;
    }
    const before = seq === 1 ? AUDIT_GENESIS_HASH : bySeq.get(seq - 1)?.entry.hash;
    if (before !== undefined && here.entry.prevHash !== before) {
      problems.push({ code: 'broken_link', seq, message: `entry ${seq} does not link to entry ${seq - 1} (an earlier entry was edited or replaced)` });
    }
  }
  // Holes inside the export, and anchored entries past its end (the newest entries deleted).
  const inner = missing.filter((s) => s <= maxSeq);
  const tail = missing.filter((s) => s > maxSeq);
  if (inner.length) problems.push({ code: 'entry_removed', seq: inner[0], message: `entries ${ranges(inner)} are missing (removed)` });
  if (tail.length) {
    problems.push({ code: 'entry_removed', seq: tail[0], message: `entries ${ranges(tail)} are anchored on chain but missing from the end of the export (removed)` });
  }

  for (const message of checkAuditAnchors(chain.chainId, chain.contract, chain.stream, chain.state, chain.anchors)) {
    problems.push({ code: 'anchor_chain_broken', message });
  }
  for (const a of chain.anchors) {
    const hashes: string[] = [];
    for (let seq = a.firstSeq; seq < a.firstSeq + a.count; seq++) {
      const here = bySeq.get(seq);
      if (here) hashes.push(here.hash || here.entry.hash);
    }
    const what = `anchor ${a.index} (entries ${a.firstSeq}–${a.firstSeq + a.count - 1}, tx ${a.txHash} in block ${a.blockNumber})`;
    if (hashes.length !== a.count) {
      problems.push({ code: 'entry_removed', anchor: a.index, message: `${what}: ${hashes.length} of its ${a.count} entries are in the export` });
    } else if (merkleRoot(hashes).toLowerCase() !== a.root.toLowerCase()) {
      problems.push({
        code: 'root_mismatch',
        anchor: a.index,
        message: `${what}: the entries' Merkle root differs from the anchored root (an entry in this range was edited, replaced or removed)`,
      });
    }
  }

  const unanchored = [...bySeq.keys()].filter((s) => s > through).length;
  if (unanchored > 0) {
    const finding: AuditExportProblem = {
      code: 'unanchored_entries',
      seq: through + 1,
      message: `${unanchored} entries after entry ${through} are not anchored yet: nothing proves them (re-export after the next anchor)`,
    };
    (options.allowUnanchored ? warnings : problems).push(finding);
  }
  return { verified: problems.length === 0, entries: bySeq.size, anchors: chain.anchors.length, anchoredThrough: through, unanchored, problems, warnings };
}
