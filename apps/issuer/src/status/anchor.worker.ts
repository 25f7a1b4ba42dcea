import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { In, DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service.js';
import { AuditService } from '../audit/audit.service.js';
import { ChainService } from '../chain/chain.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { DbWriter } from '../database/db-writer.service.js';
import { LeaseLostError, WorkerLease } from '../workers/worker-lease.js';
import { WorkerLoop } from '../../../common/src/runtime/worker-loop.js';
import { StatusOperation, type StatusListWriter, type StatusUpdateResult, type TitleTransferInput } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { IssuedCredential } from '../credentials/entities/issued-credential.entity.js';
import { nextRound, type AnchorBatch } from './anchor-rounds.js';
import { StatusChange } from './entities/status-change.entity.js';

/** Pending rows read per agency per pass. */
const PAGE = 20_000;
/** Changes per transaction: well under the gas cap, and under SQLite's bound-parameter limit for `IN (…)`. */
const MAX_PER_BATCH = 5_000;

/**
 * Anchors the status outbox on chain.
 *
 * Every ANCHOR_INTERVAL_MS it takes each agency's pending changes, in rounds (see {@link nextRound}), sends
 * each batch with StatusListWriter signed by the agency key, and marks the rows anchored with the transaction
 * hash and block. While the chain is unreachable it backs off exponentially up to ANCHOR_MAX_BACKOFF_MS.
 *
 * Idempotent across restarts without extra bookkeeping: a row becomes `anchored` only after its transaction
 * was mined, so a crash in between makes the next run send the batch again, and re-applying a Set or a Clear
 * to an entry leaves it as it was. Order per entry is kept because a later change of the same entry is only
 * sent after the earlier one is marked anchored, and one agency's transactions are nonce-ordered.
 * Every replica with ISSUER_WORKERS may run this worker; a lease in the database lets exactly one anchor at a
 * time. It renews the lease (fencing, see {@link WorkerLease}) right before each batch goes to the chain and
 * inside the transaction that marks the batch anchored, so a replica that lost the lease stops before writing.
 */
@Injectable()
export class AnchorWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AnchorWorker');
  private failures = 0;
  readonly lease: WorkerLease;
  private readonly loop = new WorkerLoop(async () => {
    try {
      if (!(await this.lease.acquire())) return this.config.WORKER_LEASE_RENEW_MS;
      await this.pass();
      this.failures = 0;
      return this.config.ANCHOR_INTERVAL_MS;
    } catch (error) {
      this.failures++;
      this.logger.warn(`anchoring failed (attempt ${this.failures}): ${error instanceof Error ? error.message : String(error)}`);
      return Math.min(this.config.ANCHOR_INTERVAL_MS * 2 ** this.failures, this.config.ANCHOR_MAX_BACKOFF_MS);
    }
  });

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly chain: ChainService,
    private readonly agencies: AgenciesService,
    private readonly audit: AuditService,
  ) {
    this.lease = new WorkerLease('status-anchor', db, { durationMs: config.WORKER_LEASE_MS, renewMs: config.WORKER_LEASE_RENEW_MS });
  }

  onApplicationBootstrap(): void {
    if (this.config.ISSUER_WORKERS) this.loop.start();
  }

  /** Before the database closes: finish the running step, then hand the lease over. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.lease.release().catch(() => undefined);
  }

  /** One pass over every agency with pending changes. Throws if any agency could not be anchored. */
  async pass(): Promise<void> {
    const rows = await this.dataSource
      .getRepository(StatusChange)
      .createQueryBuilder('c')
      .select('DISTINCT c.agencyId', 'agencyId')
      .where('c.state = :state', { state: 'pending' })
      .getRawMany<{ agencyId: string }>();
    let firstError: unknown;
    for (const { agencyId } of rows) {
      try {
        await this.anchorAgency(agencyId);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError) throw firstError;
  }

  private async anchorAgency(agencyId: string): Promise<void> {
    const initial = await this.agencies.get(agencyId);
    await this.chain.withAccount(initial.identityAddress, async () => {
      const agency = await this.agencies.reconcile(await this.agencies.get(agencyId));
      const repo = this.dataSource.getRepository(StatusChange);
      // The status writer delegate sends (the owner key for an agency created before key roles).
      const sender = { keyId: agency.writerKeyId ?? agency.keyId, address: agency.writerAddress ?? agency.keyAddress };
      const writer = this.chain.statusWriter(await this.chain.signerFor(sender.keyId));
      for (;;) {
        const pending = await repo.find({ where: { agencyId, state: 'pending' }, order: { seq: 'ASC' }, take: PAGE });
        if (pending.length === 0) return;
        for (const batch of nextRound(pending, Math.min(writer.chunkSize, MAX_PER_BATCH))) {
          const ids = batch.changes.map((c) => c.id);
          // Still the holder right before sending: a replica that lost the lease sends nothing more.
          await this.db.write((m) => this.lease.fence(m));
          try {
            await this.chain.ensureGas(sender.address);
            const result = await this.chain.bounded('status update', this.send(writer, agency, batch));
            const receipt = result.receipts[result.receipts.length - 1];
            await this.db.write(async (m) => {
              await this.lease.fence(m);
              await m.getRepository(StatusChange).update(
                { id: In(ids) },
                { state: 'anchored', txHash: receipt.hash, blockNumber: receipt.blockNumber, anchoredAt: new Date().toISOString(), lastError: null },
              );
              await this.audit.append(m, {
                actor: 'worker',
                agencyId,
                action: 'status.anchored',
                data: { listId: batch.listId, operation: batch.operation, changeIds: ids, txHash: receipt.hash, blockNumber: receipt.blockNumber },
              });
            });
          } catch (error) {
            if (error instanceof LeaseLostError) throw error;
            const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
            await this.db.write(async (m) => {
              await this.lease.fence(m);
              await m.getRepository(StatusChange).increment({ id: In(ids) }, 'attempts', 1);
              await m.getRepository(StatusChange).update({ id: In(ids) }, { lastError: message });
            });
            throw error;
          }
        }
      }
    });
  }

  /**
   * One batch to the chain: a plain list update, or, for title transfers (Set on the superseded list), the bits
   * together with their links (StatusRegistry.supersede), built from the records the transfer wrote.
   */
  private async send(writer: StatusListWriter, agency: Agency, batch: AnchorBatch<StatusChange>): Promise<StatusUpdateResult> {
    if (batch.listId !== agency.supersededListId || batch.operation !== StatusOperation.Set) {
      return writer.update(agency.identityAddress, batch.listId, batch.operation, batch.changes.map((c) => c.statusIndex));
    }
    const repo = this.dataSource.getRepository(IssuedCredential);
    const olds = await repo.findBy({ id: In(batch.changes.map((c) => c.credentialId)), agencyId: agency.id });
    const news = await repo.findBy({ id: In(olds.map((o) => o.successorId ?? '')), agencyId: agency.id });
    const byId = new Map([...olds, ...news].map((r) => [r.id, r]));
    const transfers: TitleTransferInput[] = batch.changes.map((change) => {
      const old = byId.get(change.credentialId);
      const successor = old?.successorId ? byId.get(old.successorId) : undefined;
      // The transfer wrote both records with the outbox row, in one transaction: a gap here is a broken database.
      if (!old?.titleId || !old.credentialHash || !successor?.credentialHash) throw new Error(`title transfer of ${change.credentialId} has no complete records`);
      return { titleId: old.titleId, predecessor: old.credentialHash, successor: successor.credentialHash, predecessorIndex: change.statusIndex, successorIndex: successor.statusIndex };
    });
    return writer.supersede(agency.identityAddress, batch.listId, transfers);
  }
}
