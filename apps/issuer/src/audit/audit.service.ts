import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { AUDIT_GENESIS_HASH, auditEntryHash, canonicalAuditData } from '../../../../libs/credentials/src/index.js';
import { runSql } from '../database/raw-sql.js';
import { AuditEntry } from './entities/audit-entry.entity.js';
import { AuditHead } from './entities/audit-head.entity.js';

/** Hash that the first entry links to. */
export const GENESIS_HASH = AUDIT_GENESIS_HASH;

/** What a caller records; sequence, time and hashes are added here. */
export interface AuditRecord {
  actor: string;
  agencyId?: string | null;
  action: string;
  /** Identifiers only (credential id, type, index, tx hash): never claims. */
  data: Record<string, unknown>;
}

/** One problem the check found. */
export interface AuditProblem {
  seq: number;
  problem: 'gap' | 'broken_link' | 'hash_mismatch';
}

/** Result of {@link AuditService.check}. */
export interface AuditCheck {
  valid: boolean;
  entries: number;
  /** Hash of the last entry: keep it elsewhere to detect a later truncation of the log. */
  headHash: string;
  problems: AuditProblem[];
}

/** An entry's hash as a third party recomputes it (libs/credentials audit/entry.ts), `data` parsed from storage. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return auditEntryHash({ ...entry, data: JSON.parse(entry.data) as unknown });
}

/** The append-only, hash-chained audit log. */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends an entry inside the caller's transaction (so the audited change and its entry commit together).
   *
   * The head row is updated FIRST: that UPDATE takes PostgreSQL's row lock (held until the caller commits) and
   * SQLite's write lock, so appenders of every replica queue here and each reads the head its predecessor
   * committed. `max(seq)+1` instead let two replicas pick the same number (one failed with a key violation).
   * Callers append last in their transactions, after their other row locks, so the head is held briefly.
   */
  async append(manager: EntityManager, record: AuditRecord): Promise<AuditEntry> {
    // Hand-written statements (one per step, the head read back by RETURNING): this runs once per credential.
    const { rows } = await runSql<Pick<AuditHead, 'seq' | 'hash'>>(manager, 'UPDATE "audit_head" SET "seq" = "seq" + 1 WHERE "id" = 1 RETURNING "seq", "hash"', []);
    const head = rows[0];
    if (!head) throw new Error('the audit head row is missing');
    const entry: Omit<AuditEntry, 'hash'> = {
      seq: Number(head.seq),
      at: new Date().toISOString(),
      actor: record.actor,
      agencyId: record.agencyId ?? null,
      action: record.action,
      data: canonicalAuditData(record.data),
      prevHash: head.hash,
    };
    const full = { ...entry, hash: entryHash(entry) };
    await runSql(manager, 'INSERT INTO "audit_entry" ("seq", "at", "actor", "agencyId", "action", "data", "prevHash", "hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      full.seq,
      full.at,
      full.actor,
      full.agencyId,
      full.action,
      full.data,
      full.prevHash,
      full.hash,
    ]);
    await runSql(manager, 'UPDATE "audit_head" SET "hash" = ? WHERE "id" = 1', [full.hash]);
    return full;
  }

  /** Entries in order, `limit` at a time, optionally of one agency. */
  async page(afterSeq: number, limit: number, agencyId?: string): Promise<AuditEntry[]> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('e').where('e.seq > :afterSeq', { afterSeq });
    if (agencyId) qb.andWhere('e.agencyId = :agencyId', { agencyId });
    return qb.orderBy('e.seq', 'ASC').take(limit).getMany();
  }

  /**
   * Walks the whole log: every seq present from 1 without gaps (a deleted row), every `prevHash` equal to the
   * previous entry's hash and every hash recomputed (an edited row).
   */
  async check(): Promise<AuditCheck> {
    const problems: AuditProblem[] = [];
    let prev = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    for (;;) {
      const batch = await this.page(prev.seq, 1000);
      if (batch.length === 0) break;
      for (const e of batch) {
        count++;
        if (e.seq !== prev.seq + 1) problems.push({ seq: e.seq, problem: 'gap' });
        if (e.prevHash !== prev.hash) problems.push({ seq: e.seq, problem: 'broken_link' });
        if (entryHash(e) !== e.hash) problems.push({ seq: e.seq, problem: 'hash_mismatch' });
        prev = { seq: e.seq, hash: e.hash };
      }
    }
    return { valid: problems.length === 0, entries: count, headHash: prev.hash, problems };
  }
}
