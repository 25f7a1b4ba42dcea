import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { IssuedCredential } from '../credentials/entities/issued-credential.entity.js';
import { IssuedCredentialCopy } from '../credentials/entities/issued-credential-copy.entity.js';
import { StatusChange, type StatusAction } from './entities/status-change.entity.js';
import { TRANSITIONS, decide, type Transition } from './status-transitions.js';

/** The agency's list that carries a transition (title lists exist for property registries only). */
export function listIdOf(agency: Agency, list: Transition['list']): number {
  const id = { revocation: agency.revocationListId, suspension: agency.suspensionListId, superseded: agency.supersededListId, encumbered: agency.encumberedListId }[list];
  if (id === null) throw new GovcredError('not_a_title', 'this agency has no title lists: transfer and encumbrance apply to property titles only');
  return id;
}

/** What {@link StatusService.request} did: a new change, or the earlier one an identical repeat refers to. */
export interface StatusRequestResult {
  change: StatusChange;
  /** false when the request repeated the one that produced the current state (nothing new was recorded). */
  created: boolean;
}

/** Who asked for a status change, and why (both recorded in the audit entry). */
export interface StatusRequestOptions {
  /** `agency:<id>` (API key, the default) or `staff:<id>` (portal session). */
  actor?: string;
  reason?: string;
}

/** Accepts status changes into the outbox; the anchoring worker takes them to the chain. */
@Injectable()
export class StatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records a status change durably (the credential's new state + outbox row + audit entry, one transaction)
   * and returns it pending. Nothing reaches the chain here.
   *
   * The state moves by ONE conditional UPDATE (`… WHERE state IN (allowed from)`), not read-then-write: with
   * replicas on one PostgreSQL database a read-then-write let a suspension overwrite a concurrent revocation.
   * The UPDATE holds the credential's row lock until commit and PostgreSQL re-checks the condition after a
   * concurrent change commits, so of two racing requests the second sees the first's state. The outbox row is
   * inserted after that lock, so its `seq` (the order the anchoring worker keeps per entry) is the order the
   * states were taken. Revoked is in no `from` set: revocation stays final in the database as on chain.
   *
   * Repeating the request that produced the current state is answered with the change that did it.
   */
  request(agency: Agency, credentialId: string, action: StatusAction, options: StatusRequestOptions = {}): Promise<StatusRequestResult> {
    return this.db.write((m) => this.apply(m, agency, credentialId, action, {}, options));
  }

  /**
   * {@link request} inside the caller's write transaction (a title transfer supersedes the old certificate in
   * the transaction that records the new one). `extra` sets more columns of the credential in the same UPDATE.
   */
  async apply(
    m: EntityManager,
    agency: Agency,
    credentialId: string,
    action: StatusAction,
    extra: Partial<IssuedCredential> = {},
    options: StatusRequestOptions = {},
  ): Promise<StatusRequestResult> {
    const t = TRANSITIONS[action];
    const listId = listIdOf(agency, t.list);
    const now = new Date().toISOString();
    const moved = await m
      .getRepository(IssuedCredential)
      .createQueryBuilder()
      .update()
      .set({ ...extra, state: t.to, updatedAt: now })
      // Title actions need a title certificate (one issued with all four status entries: it has a title id).
      .where(`"id" = :credentialId AND "agencyId" = :agencyId AND "state" IN (:...from)${t.titlesOnly ? ' AND "titleId" IS NOT NULL' : ''}`, {
        credentialId,
        agencyId: agency.id,
        from: t.from,
      })
      .execute();
    if (!moved.affected) return { change: await this.refused(m, agency, credentialId, action), created: false };
    const credential = await m.getRepository(IssuedCredential).findOneByOrFail({ id: credentialId });
    // An SD-JWT VC issued as copies has one index per copy: the change is written to each (the credential's own
    // index first: that row is the change the client is answered with). One list, one operation: the anchoring
    // worker sends them in one chain write.
    const copies = await m.getRepository(IssuedCredentialCopy).find({ where: { credentialId, agencyId: agency.id }, order: { copy: 'ASC' } });
    const indexes = [...new Set([credential.statusIndex, ...copies.map((c) => c.statusIndex)])];
    const rows: Array<Omit<StatusChange, 'seq'>> = indexes.map((statusIndex) => ({
      id: randomUUID(),
      agencyId: agency.id,
      credentialId,
      action,
      listId,
      operation: t.operation,
      statusIndex,
      state: 'pending',
      attempts: 0,
      lastError: null,
      txHash: null,
      blockNumber: null,
      createdAt: now,
      anchoredAt: null,
    }));
    const change = rows[0]!;
    // One by one, in order: `seq` then follows the copies' order on every driver.
    for (const row of rows) await m.getRepository(StatusChange).insert(row);
    await this.audit.append(m, {
      actor: options.actor ?? `agency:${agency.id}`,
      agencyId: agency.id,
      action: `status.${action}.requested`,
      data: {
        changeId: change.id,
        credentialId,
        listId: change.listId,
        statusIndex: change.statusIndex,
        ...(rows.length > 1 ? { copies: rows.length, copyStatusIndexes: indexes, copyChangeIds: rows.map((r) => r.id) } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
      },
    });
    return { change: await m.getRepository(StatusChange).findOneByOrFail({ id: change.id }), created: true };
  }

  /**
   * The action did not apply: the earlier change if this repeats the one that produced the current state,
   * else the refusal's stable code.
   */
  private async refused(m: EntityManager, agency: Agency, credentialId: string, action: StatusAction): Promise<StatusChange> {
    const credential = await m.getRepository(IssuedCredential).findOneBy({ id: credentialId, agencyId: agency.id });
    if (!credential) throw new GovcredError('credential_not_found', 'no such credential of this agency');
    if (TRANSITIONS[action].titlesOnly && credential.titleId === null) {
      throw new GovcredError('not_a_title', 'transfer, encumbrance and release apply to property title certificates only');
    }
    // The change on the credential's own index: copies' rows are written after it and answer to it.
    const [last] = await m
      .getRepository(StatusChange)
      .find({ where: { credentialId, agencyId: agency.id, statusIndex: credential.statusIndex }, order: { seq: 'DESC' }, take: 1 });
    const decision = decide(credential.state, action, last?.action);
    if (decision.kind === 'repeat') return last!;
    // 'apply' cannot happen here (the conditional UPDATE would have applied it): the state changed again since.
    throw decision.kind === 'refuse' ? decision.error : new GovcredError('conflict', 'the credential changed meanwhile: retry');
  }

  /** One status change of this agency. */
  async get(agency: Agency, id: string): Promise<StatusChange> {
    const change = await this.dataSource.getRepository(StatusChange).findOneBy({ id, agencyId: agency.id });
    if (!change) throw new GovcredError('status_change_not_found', 'no such status change of this agency');
    return change;
  }
}
