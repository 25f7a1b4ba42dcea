import { Inject, Injectable } from '@nestjs/common';
import { Between, DataSource, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { AUDIT_EXPORT_FORMAT, GovcredError, merklePath, type AuditEntryRecord, type AuditExportHeader } from '../../../../libs/credentials/src/index.js';
import { AuditService } from '../audit/audit.service.js';
import { AuditEntry } from '../audit/entities/audit-entry.entity.js';
import { AuditHead } from '../audit/entities/audit-head.entity.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { AuditAnchor } from './entities/audit-anchor.entity.js';
import { AuditStream } from './entities/audit-stream.entity.js';

/** `GET /admin/audit/:seq/receipt`: proves one entry against its anchor on chain. */
export interface AuditReceipt {
  seq: number;
  /** The entry's hash (hex), the Merkle leaf's input. */
  entryHash: string;
  anchor: {
    index: number;
    root: string;
    firstSeq: number;
    lastSeq: number;
    count: number;
    txHash: string;
    blockNumber: number;
    contract: string;
    chainId: number;
    /** The stream (the issuer's audit identity) and its DID. */
    stream: string;
    did: string;
  };
  /** RFC 9162 inclusion path (0x-hex, leaf to root) of leaf `seq - firstSeq` in a tree of `count` leaves. */
  path: string[];
}

/** Entries exported per database page. */
const PAGE = 1000;

/** Receipts and exports of the anchored audit log. */
@Injectable()
export class AuditReceiptsService {
  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async receipt(seq: number): Promise<AuditReceipt> {
    const head = await this.dataSource.getRepository(AuditHead).findOneByOrFail({ id: 1 });
    if (seq > Number(head.seq)) throw new GovcredError('audit_entry_not_found', `no audit entry ${seq}`);
    const anchor = await this.dataSource
      .getRepository(AuditAnchor)
      .findOneBy({ firstSeq: LessThanOrEqual(seq), lastSeq: MoreThanOrEqual(seq) });
    const stream = await this.dataSource.getRepository(AuditStream).findOneBy({ id: 1 });
    if (!anchor || anchor.state !== 'anchored' || !stream || !this.config.AUDIT_ANCHOR) {
      throw new GovcredError('not_anchored_yet', `audit entry ${seq} is not anchored on chain yet: retry after the next anchoring interval`);
    }
    const rows = await this.dataSource.getRepository(AuditEntry).find({
      select: { seq: true, hash: true },
      where: { seq: Between(anchor.firstSeq, anchor.lastSeq) },
      order: { seq: 'ASC' },
    });
    const hashes = rows.map((r) => r.hash);
    return {
      seq,
      entryHash: hashes[seq - anchor.firstSeq],
      anchor: {
        index: anchor.index,
        root: anchor.root,
        firstSeq: anchor.firstSeq,
        lastSeq: anchor.lastSeq,
        count: anchor.count,
        txHash: anchor.txHash!,
        blockNumber: anchor.blockNumber!,
        contract: this.config.AUDIT_ANCHOR,
        chainId: this.config.CHAIN_ID,
        stream: stream.identityAddress,
        did: stream.did,
      },
      path: merklePath(hashes, seq - anchor.firstSeq),
    };
  }

  /** The export's first line: where to check it on chain. */
  async exportHeader(): Promise<{ header: AuditExportHeader; lastSeq: number }> {
    const anchors = this.dataSource.getRepository(AuditAnchor);
    const [first] = await anchors.find({ order: { index: 'ASC' }, take: 1 });
    const [lastAnchored] = await anchors.find({ where: { state: 'anchored' }, order: { index: 'DESC' }, take: 1 });
    const stream = await this.dataSource.getRepository(AuditStream).findOneBy({ id: 1 });
    const head = await this.dataSource.getRepository(AuditHead).findOneByOrFail({ id: 1 });
    const anchoredThrough = lastAnchored?.lastSeq ?? 0;
    return {
      header: {
        format: AUDIT_EXPORT_FORMAT,
        chainId: this.config.CHAIN_ID,
        contract: this.config.AUDIT_ANCHOR ?? '',
        stream: stream?.identityAddress ?? '',
        fromBlock: first?.fromBlock ?? 0,
        exportedAt: new Date().toISOString(),
        anchoredThrough,
      },
      lastSeq: Number(head.seq),
    };
  }

  /** Entries (parsed, as a third party hashes them) after `afterSeq` up to `throughSeq`, a page at a time. */
  async *entries(throughSeq: number): AsyncGenerator<AuditEntryRecord[]> {
    let after = 0;
    while (after < throughSeq) {
      const page = (await this.audit.page(after, PAGE)).filter((e) => e.seq <= throughSeq);
      if (page.length === 0) return;
      yield page.map((e) => ({ ...e, data: JSON.parse(e.data) as unknown }));
      after = page[page.length - 1].seq;
    }
  }
}
