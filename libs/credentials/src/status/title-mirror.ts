import { Contract, Interface, getAddress, zeroPadValue, type Log } from 'ethers';
import { STATUS_REGISTRY_ABI } from '../chain/abi.js';
import { ChainFollower, type FollowOptions } from '../chain/chain-follower.js';
import { scanLogs } from '../chain/log-scanner.js';
import { checksummedAddress } from '../chain/address.js';

/** One title transfer as recorded on chain (`StatusRegistry.TitleTransferred`): hashes, positions, a time. */
export interface TitleTransferRecord {
  /** Issuer identity (checksummed) that recorded the transfer. */
  identity: string;
  titleId: string;
  seq: number;
  listId: bigint;
  predecessor: string;
  successor: string;
  predecessorIndex: number;
  successorIndex: number;
  /** Block time, Unix seconds. */
  time: number;
}

/** The history of one title: transfers oldest first, or why it cannot be vouched for. */
export type TitleHistoryAnswer = { known: true; transfers: TitleTransferRecord[] } | { known: false };

/** What one {@link TitleMirror.sync} did. */
export interface TitleSyncReport {
  block: number;
  logs: number;
  /** Identities whose copy did not match `titleTransferCount` and will be rebuilt. */
  staleIdentities: number;
}

interface IdentityTitles {
  /** Every transfer log by its `seq` (a transfer repeated after a crash has a seq of its own). */
  bySeq: Map<number, TitleTransferRecord>;
  /** The successor index → its transfer (a repeat after a crash records the same link twice: kept once). */
  bySuccessor: Map<number, TitleTransferRecord>;
  byPredecessor: Map<number, TitleTransferRecord>;
  stale: boolean;
}

const iface = new Interface(STATUS_REGISTRY_ABI);
const TRANSFERRED = iface.getEvent('TitleTransferred')!.topicHash;

/**
 * An in-memory copy of every title transfer a StatusRegistry recorded, rebuilt from its `TitleTransferred`
 * logs, so a verifier tells a title's history (dates and agencies, never owners) from chain data alone and with
 * no RPC per question. Completeness per identity is proved like the status lists': transfers carry a sequence
 * number, and the count held must equal the contract's `titleTransferCount` at the synced block; an identity
 * whose copy does not match answers unknown until it is rebuilt.
 */
export class TitleMirror extends ChainFollower<TitleSyncReport> {
  private readonly identities = new Map<string, IdentityTitles>();
  private readonly contract: Contract;
  private readonly registry: string;

  constructor(private readonly options: FollowOptions) {
    super(options);
    this.registry = getAddress(options.registry);
    this.contract = new Contract(this.registry, STATUS_REGISTRY_ABI, options.provider);
  }

  /** Number of transfers held. */
  get transferCount(): number {
    let n = 0;
    for (const titles of this.identities.values()) n += titles.bySeq.size;
    return n;
  }

  /**
   * The transfers of the title that the credential at `index` of `identity`'s lists belongs to, oldest first
   * (empty: a title never transferred). Unknown when the mirror is stale or the identity's copy is incomplete.
   */
  historyOf(identity: string, index: number): TitleHistoryAnswer {
    if (!this.recentlySynced()) return { known: false };
    const titles = this.identities.get(checksummedAddress(identity));
    if (!titles) return { known: true, transfers: [] };
    if (titles.stale) return { known: false };
    const link = titles.bySuccessor.get(index) ?? titles.byPredecessor.get(index);
    if (!link) return { known: true, transfers: [] };
    // Walk back to the first transfer, then forward: a chain of positions within one identity.
    const seen = new Set<TitleTransferRecord>();
    let first = link;
    while (!seen.has(first)) {
      seen.add(first);
      const earlier = titles.bySuccessor.get(first.predecessorIndex);
      if (!earlier) break;
      first = earlier;
    }
    const transfers: TitleTransferRecord[] = [];
    const walked = new Set<TitleTransferRecord>();
    for (let t: TitleTransferRecord | undefined = first; t && !walked.has(t); t = titles.byPredecessor.get(t.successorIndex)) {
      walked.add(t);
      transfers.push(t);
    }
    return { known: true, transfers };
  }

  protected async pull(): Promise<TitleSyncReport> {
    const latest = await this.targetBlock();
    let logs = 0;
    const touched = new Set<string>();
    for (const [identity, titles] of [...this.identities]) {
      if (!titles.stale) continue;
      logs += await this.rebuild(identity);
      touched.add(identity);
    }
    if (latest >= this.nextBlock) {
      const found = await scanLogs(this.options.provider, { address: this.registry, topics: [TRANSFERRED] }, this.nextBlock, latest, this.options);
      for (const log of found) {
        const identity = this.apply(log);
        if (identity) touched.add(identity);
      }
      logs += found.length;
    }
    let staleIdentities = 0;
    for (const identity of touched) if (!(await this.verify(identity, latest))) staleIdentities++;
    this.markSynced(latest);
    return { block: latest, logs, staleIdentities };
  }

  /** Applies one log; returns the identity it touched. */
  private apply(log: Log): string | undefined {
    const parsed = iface.parseLog(log);
    if (!parsed || parsed.topic !== TRANSFERRED) return undefined;
    const a = parsed.args;
    const record: TitleTransferRecord = {
      identity: getAddress(a.identity as string),
      titleId: a.titleId as string,
      seq: Number(a.seq),
      listId: a.listId as bigint,
      predecessor: a.predecessor as string,
      successor: a.successor as string,
      predecessorIndex: Number(a.predecessorIndex),
      successorIndex: Number(a.successorIndex),
      time: Number(a.time),
    };
    let titles = this.identities.get(record.identity);
    if (!titles) {
      titles = { bySeq: new Map(), bySuccessor: new Map(), byPredecessor: new Map(), stale: false };
      this.identities.set(record.identity, titles);
    }
    // Sequence numbers run 1, 2, 3…: a skip means a log went missing.
    if (record.seq !== titles.bySeq.size + 1) titles.stale = true;
    titles.bySeq.set(record.seq, record);
    // A transfer repeated after a crash names the same successor: the first record stands.
    if (!titles.bySuccessor.has(record.successorIndex)) titles.bySuccessor.set(record.successorIndex, record);
    if (!titles.byPredecessor.has(record.predecessorIndex)) titles.byPredecessor.set(record.predecessorIndex, record);
    return record.identity;
  }

  /** Rebuilds one identity's transfers from its own logs up to the block already synced. */
  private async rebuild(identity: string): Promise<number> {
    const logs = await scanLogs(
      this.options.provider,
      { address: this.registry, topics: [TRANSFERRED, zeroPadValue(identity, 32)] },
      this.options.fromBlock ?? 0,
      this.nextBlock - 1,
      this.options,
    );
    this.identities.delete(identity);
    for (const log of logs) this.apply(log);
    return logs.length;
  }

  /** Compares the number of transfers held with the contract's count at `block`. */
  private async verify(identity: string, block: number): Promise<boolean> {
    const titles = this.identities.get(identity);
    if (!titles) return true;
    const count = (await this.contract.getFunction('titleTransferCount')(identity, { blockTag: block })) as bigint;
    const ok = !titles.stale && BigInt(titles.bySeq.size) === count;
    titles.stale = !ok;
    return ok;
  }
}
