import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Contract, type TransactionReceipt } from 'ethers';
import { DataSource, MoreThan } from 'typeorm';
import {
  AUDIT_ANCHOR_ABI,
  ethrDid,
  merkleRoot,
  readAuditAnchorEvents,
  readAuditStream,
} from '../../../../libs/credentials/src/index.js';
import { AuditEntry } from '../audit/entities/audit-entry.entity.js';
import { AuditHead } from '../audit/entities/audit-head.entity.js';
import { ChainService } from '../chain/chain.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { DbWriter } from '../database/db-writer.service.js';
import { VeramoService } from '../veramo/veramo.service.js';
import { LeaseLostError, WorkerLease } from '../workers/worker-lease.js';
import { WorkerLoop } from '../../../common/src/runtime/worker-loop.js';
import { AuditAnchor } from './entities/audit-anchor.entity.js';
import { AuditStream } from './entities/audit-stream.entity.js';

/** Poll at least this often, so a full batch (AUDIT_ANCHOR_MAX_ENTRIES) is anchored without waiting the interval. */
const MAX_POLL_MS = 1000;

/**
 * Anchors the audit log on chain (contracts/AuditAnchor.sol), as an outbox.
 *
 * ONE stream for the issuer's global log rather than one per agency: the log is one hash chain across all
 * agencies (a single head row orders every append), so only the whole chain can be recomputed from an export;
 * per-agency anchors would need per-agency chains. The stream is the issuer's own audit identity, a did:ethr
 * whose key sits in the KMS (encrypted at rest like the agency keys) and which, like the status lists, follows
 * its ERC-1056 owner, so the key can later move to a writer delegate without changing the stream.
 *
 * An anchor is planned first (a `pending` row with its range and root, numbered like the contract's anchors),
 * then sent, then recorded. Before sending, the contract's state is read: if it already holds this anchor (a
 * transaction mined but not recorded: a crash, a lost answer) the row is completed from the `Anchored` log
 * instead of sending again; the contract refuses a repeat anyway (`UnexpectedFirstSeq`). While the chain is
 * unreachable the worker backs off up to ANCHOR_MAX_BACKOFF_MS and nothing is lost: the entries wait. A
 * database lease (`audit-anchor`) lets one replica anchor at a time, fenced before each send and each record.
 * Anchoring writes no audit entry of its own: each would need anchoring in turn.
 */
@Injectable()
export class AuditAnchorWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditAnchorWorker');
  private failures = 0;
  readonly lease: WorkerLease;
  private readonly loop = new WorkerLoop(async () => {
    const poll = Math.min(this.config.AUDIT_ANCHOR_INTERVAL_MS, MAX_POLL_MS);
    try {
      if (!(await this.lease.acquire())) return this.config.WORKER_LEASE_RENEW_MS;
      await this.pass();
      this.failures = 0;
      return poll;
    } catch (error) {
      this.failures++;
      this.logger.warn(`audit anchoring failed (attempt ${this.failures}): ${error instanceof Error ? error.message : String(error)}`);
      return Math.min(poll * 2 ** this.failures, this.config.ANCHOR_MAX_BACKOFF_MS);
    }
  });

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly chain: ChainService,
    private readonly veramo: VeramoService,
  ) {
    this.lease = new WorkerLease('audit-anchor', db, { durationMs: config.WORKER_LEASE_MS, renewMs: config.WORKER_LEASE_RENEW_MS });
  }

  onApplicationBootstrap(): void {
    if (this.config.ISSUER_WORKERS && this.config.AUDIT_ANCHOR) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.lease.release().catch(() => undefined);
  }

  /**
   * Settles a pending anchor, then anchors every range that is due. Call with the lease held.
   * @param now The clock (ms). @default Date.now()
   */
  async pass(now = Date.now()): Promise<void> {
    if (!this.config.AUDIT_ANCHOR) return;
    const pending = await this.dataSource.getRepository(AuditAnchor).findOneBy({ state: 'pending' });
    if (pending) await this.settle(pending);
    for (;;) {
      const planned = await this.plan(now);
      if (!planned) return;
      await this.settle(planned);
    }
  }

  /** The issuer's audit identity, created (key in the KMS) the first time it is needed. */
  async stream(): Promise<AuditStream> {
    const repo = this.dataSource.getRepository(AuditStream);
    const existing = await repo.findOneBy({ id: 1 });
    if (existing) return existing;
    const { key, address } = await this.db.exclusive(() => this.veramo.createKey());
    const did = ethrDid(this.config.CHAIN_ID, address);
    await this.db.exclusive(() => this.veramo.registerIdentifier(did, key));
    await this.db.write(async (m) => {
      await this.lease.fence(m);
      // A replica that created one at the same moment wins; this key then simply stays unused.
      await m
        .createQueryBuilder()
        .insert()
        .into(AuditStream)
        .values({ id: 1, did, identityAddress: address, keyId: key.kid, createdAt: new Date().toISOString() })
        .orIgnore()
        .execute();
    });
    return repo.findOneByOrFail({ id: 1 });
  }

  /**
   * Plans the next anchor when it is due: AUDIT_ANCHOR_MAX_ENTRIES entries are waiting, or the oldest waiting
   * entry is AUDIT_ANCHOR_INTERVAL_MS old. Returns the pending row, or undefined when nothing is due.
   */
  async plan(now = Date.now()): Promise<AuditAnchor | undefined> {
    const anchors = this.dataSource.getRepository(AuditAnchor);
    const [last] = await anchors.find({ order: { index: 'DESC' }, take: 1 });
    if (last?.state === 'pending') return undefined;
    const through = last?.lastSeq ?? 0;
    const head = await this.dataSource.getRepository(AuditHead).findOneByOrFail({ id: 1 });
    const waiting = Number(head.seq) - through;
    if (waiting <= 0) return undefined;
    const entries = this.dataSource.getRepository(AuditEntry);
    if (waiting < this.config.AUDIT_ANCHOR_MAX_ENTRIES) {
      const oldest = await entries.findOneByOrFail({ seq: through + 1 });
      if (now - Date.parse(oldest.at) < this.config.AUDIT_ANCHOR_INTERVAL_MS) return undefined;
    }
    const count = Math.min(waiting, this.config.AUDIT_ANCHOR_MAX_ENTRIES);
    const rows = await entries.find({ select: { seq: true, hash: true }, where: { seq: MoreThan(through) }, order: { seq: 'ASC' }, take: count });
    if (rows.length !== count || rows.some((r, i) => Number(r.seq) !== through + 1 + i)) {
      throw new Error(`the audit log has a gap after entry ${through}: run GET /admin/audit/check`);
    }
    // The next anchor's log comes after the previous one's block; so planning needs the chain only once, and
    // during an outage the pending row is there to show attempts and the last error.
    const fromBlock = last?.blockNumber ?? (await this.chain.bounded('getBlockNumber', this.chain.provider.getBlockNumber()));
    const row: AuditAnchor = {
      index: (last?.index ?? -1) + 1,
      firstSeq: through + 1,
      lastSeq: through + count,
      count,
      root: merkleRoot(rows.map((r) => r.hash)),
      state: 'pending',
      fromBlock,
      txHash: null,
      blockNumber: null,
      createdAt: new Date(now).toISOString(),
      anchoredAt: null,
      attempts: 0,
      lastError: null,
    };
    // The primary key (index) makes a second planner of the same anchor fail here instead of forking.
    await this.db.write(async (m) => {
      await this.lease.fence(m);
      await m.getRepository(AuditAnchor).insert(row);
    });
    return row;
  }

  /** Gets a pending anchor on chain exactly once: recognised if already there, sent otherwise, then recorded. */
  async settle(row: AuditAnchor): Promise<void> {
    const contract = this.config.AUDIT_ANCHOR!;
    try {
      const stream = await this.stream();
      const state = await this.chain.bounded('getStream', readAuditStream(this.chain.provider, contract, stream.identityAddress));
      if (state.anchors > row.index) {
        // Mined before but not recorded here: take the transaction from its log.
        const latest = await this.chain.bounded('getBlockNumber', this.chain.provider.getBlockNumber());
        const events = await this.chain.bounded(
          'getLogs',
          readAuditAnchorEvents(this.chain.provider, contract, stream.identityAddress, row.fromBlock, latest),
        );
        const event = events.find((e) => e.index === row.index);
        if (!event) throw new Error(`anchor ${row.index} is on chain but its log was not found from block ${row.fromBlock}`);
        if (event.firstSeq !== row.firstSeq || event.count !== row.count || event.root.toLowerCase() !== row.root.toLowerCase()) {
          throw new Error(`anchor ${row.index} on chain differs from the one planned here (another issuer writes this stream?)`);
        }
        await this.record(row, event.txHash, event.blockNumber);
        return;
      }
      if (state.anchors !== row.index || state.anchoredThrough !== row.firstSeq - 1) {
        throw new Error(`the stream holds ${state.anchors} anchors through entry ${state.anchoredThrough}; anchor ${row.index} starts at ${row.firstSeq}`);
      }
      // Still the holder right before sending: a replica that lost the lease sends nothing.
      await this.db.write((m) => this.lease.fence(m));
      const receipt = await this.send(stream, row);
      await this.record(row, receipt.hash, receipt.blockNumber);
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      await this.db
        .write(async (m) => {
          await this.lease.fence(m);
          await m.getRepository(AuditAnchor).increment({ index: row.index }, 'attempts', 1);
          await m.getRepository(AuditAnchor).update({ index: row.index }, { lastError: message });
        })
        .catch(() => undefined);
      throw error;
    }
  }

  /** Sends the anchor transaction signed by the stream's key and waits for it (bounded). */
  async send(stream: AuditStream, row: AuditAnchor): Promise<TransactionReceipt> {
    return this.chain.withAccount(stream.identityAddress, async () => {
      await this.chain.ensureGas(stream.identityAddress);
      const contract = new Contract(this.config.AUDIT_ANCHOR!, AUDIT_ANCHOR_ABI, await this.chain.signerFor(stream.keyId));
      const tx = (await this.chain.bounded('anchor', contract.getFunction('anchor')(stream.identityAddress, row.firstSeq, row.count, row.root))) as {
        wait(): Promise<TransactionReceipt | null>;
      };
      const receipt = await this.chain.bounded('anchor', tx.wait());
      if (!receipt) throw new Error('anchor transaction dropped');
      return receipt;
    });
  }

  private async record(row: AuditAnchor, txHash: string, blockNumber: number): Promise<void> {
    await this.db.write(async (m) => {
      await this.lease.fence(m);
      await m
        .getRepository(AuditAnchor)
        .update({ index: row.index }, { state: 'anchored', txHash, blockNumber, anchoredAt: new Date().toISOString(), lastError: null });
    });
  }
}
