import { Contract, Interface, getAddress, getBytes, zeroPadValue, toBeHex, type Log } from 'ethers';
import { STATUS_REGISTRY_ABI } from '../chain/abi.js';
import { ChainFollower, type FollowOptions } from '../chain/chain-follower.js';
import { scanLogs } from '../chain/log-scanner.js';
import {
  FINAL_PURPOSES,
  INDEX_BYTES,
  StatusOperation,
  StatusPurpose,
  decodeSortedGaps,
  genesisHead,
  nextHead,
  nextSortedHead,
  unpackIndexes,
} from './status-codec.js';

/** What the mirror can say about one status entry. */
export type EntryStatus = 'valid' | 'revoked' | 'suspended' | 'superseded' | 'encumbered' | 'unknown';

/** What a set entry means, per list purpose. */
const SET_STATUS: Record<StatusPurpose, EntryStatus> = {
  [StatusPurpose.Revocation]: 'revoked',
  [StatusPurpose.Suspension]: 'suspended',
  [StatusPurpose.Superseded]: 'superseded',
  [StatusPurpose.Encumbered]: 'encumbered',
};

/** Options of {@link StatusMirror}. */
export interface StatusMirrorOptions extends FollowOptions {
  /** EIP-155 chain id of the provider's chain (binds genesis heads). */
  chainId: number | bigint;
}

/** One list as the mirror holds it. */
interface MirroredList {
  identity: string;
  listId: bigint;
  purpose: StatusPurpose;
  sizeLog2: number;
  bits: Uint8Array;
  version: bigint;
  head: string;
  /** True once version and head were found equal to the contract's at a synced block. */
  verified: boolean;
  /** A gap or a head mismatch was seen: rebuild from this list's logs on the next sync. */
  stale: boolean;
}

/** What one {@link StatusMirror.sync} did. */
export interface SyncReport {
  /** Last block included. */
  block: number;
  /** Logs applied. */
  logs: number;
  /** Lists whose copy matched the chain after this sync. */
  verifiedLists: number;
  /** Lists whose copy did not match and will be rebuilt. */
  staleLists: number;
}

const iface = new Interface(STATUS_REGISTRY_ABI);
const CREATED = iface.getEvent('StatusListCreated')!.topicHash;
const UPDATED = iface.getEvent('StatusUpdated')!.topicHash;
const UPDATED_SORTED = iface.getEvent('StatusUpdatedSorted')!.topicHash;

function listKey(identity: string, listId: bigint): string {
  return `${identity.toLowerCase()}/${listId}`;
}

/**
 * An in-memory copy of every status list of a StatusRegistry, rebuilt from the chain's logs.
 *
 * Lookups are answered from memory with no RPC call, so the node serving the mirror never learns which
 * credential was checked (herd privacy, as in W3C Bitstring Status List §6). Each list's copy is proved
 * complete by recomputing the contract's running head hash from the logs and comparing it, with the version,
 * against `getList` at the synced block. A list that fails that check, or whose versions skip, answers
 * `unknown` until it is rebuilt; so does every list once the mirror has not synced for `maxStalenessMs`.
 */
export class StatusMirror extends ChainFollower<SyncReport> {
  private readonly lists = new Map<string, MirroredList>();
  private readonly contract: Contract;
  private readonly registry: string;

  constructor(private readonly options: StatusMirrorOptions) {
    super(options);
    this.registry = getAddress(options.registry);
    this.contract = new Contract(this.registry, STATUS_REGISTRY_ABI, options.provider);
  }

  /** Number of lists held. */
  get listCount(): number {
    return this.lists.size;
  }

  /** Number of entries held across all lists. */
  get entryCount(): number {
    let n = 0;
    for (const list of this.lists.values()) n += 2 ** list.sizeLog2;
    return n;
  }

  /**
   * Status of entry `index` of `identity`'s list `listId`, from memory.
   * `unknown` when the list is not known, not proved complete, the index is out of range, or the mirror is stale.
   */
  lookup(identity: string, listId: bigint | number, index: number): EntryStatus {
    if (!this.recentlySynced()) return 'unknown';
    const list = this.lists.get(listKey(identity, BigInt(listId)));
    if (!list || !list.verified || list.stale) return 'unknown';
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** list.sizeLog2) return 'unknown';
    const set = (list.bits[index >>> 3] & (1 << (index & 7))) !== 0;
    if (!set) return 'valid';
    return SET_STATUS[list.purpose] ?? 'unknown';
  }

  /** Identities owning at least one list (the issuers a certificate number may name). */
  identities(): string[] {
    return [...new Set([...this.lists.values()].map((l) => l.identity))];
  }

  /** Purpose of a list, if the mirror knows it. */
  purposeOf(identity: string, listId: bigint | number): StatusPurpose | undefined {
    return this.lists.get(listKey(identity, BigInt(listId)))?.purpose;
  }

  protected async pull(): Promise<SyncReport> {
    const provider = this.options.provider;
    const latest = await this.targetBlock();
    let applied = 0;
    const touched = new Set<MirroredList>();

    // A snapshot: rebuilding replaces entries of the map.
    for (const list of [...this.lists.values()]) {
      if (list.stale) applied += await this.rebuild(list);
      if (!list.verified) touched.add(list);
    }
    if (latest >= this.nextBlock) {
      const logs = await scanLogs(
        provider,
        { address: this.registry, topics: [[CREATED, UPDATED, UPDATED_SORTED]] },
        this.nextBlock,
        latest,
        this.options,
      );
      for (const log of logs) {
        const list = this.apply(log);
        if (list) touched.add(list);
      }
      applied += logs.length;
    }

    let verifiedLists = 0;
    let staleLists = 0;
    for (const list of touched) {
      if (await this.verify(list, latest)) verifiedLists++;
      else staleLists++;
    }
    this.markSynced(latest);
    return { block: latest, logs: applied, verifiedLists, staleLists };
  }

  /** Applies one log; returns the list it touched. */
  private apply(log: Log): MirroredList | undefined {
    let parsed: ReturnType<typeof iface.parseLog>;
    try {
      parsed = iface.parseLog(log);
    } catch {
      // Undecodable data under a registry topic: the list it names (if known) is inconsistent, not the mirror broken.
      let list: MirroredList | undefined;
      try {
        list = log.topics.length === 3 ? this.lists.get(listKey(`0x${log.topics[1].slice(-40)}`, BigInt(log.topics[2]))) : undefined;
      } catch {
        // topics that are not even numbers name no list
      }
      if (list) list.stale = true;
      return list;
    }
    if (!parsed) return undefined;
    const identity = getAddress(parsed.args.identity as string);
    const listId = parsed.args.listId as bigint;
    const key = listKey(identity, listId);
    if (parsed.topic === CREATED) {
      const purpose = Number(parsed.args.purpose) as StatusPurpose;
      const sizeLog2 = Number(parsed.args.sizeLog2);
      const head = genesisHead(this.options.chainId, this.registry, identity, listId, purpose, sizeLog2);
      const list: MirroredList = {
        identity,
        listId,
        purpose,
        sizeLog2,
        bits: new Uint8Array(2 ** sizeLog2 / 8),
        version: 0n,
        head,
        verified: false,
        stale: head !== parsed.args.head,
      };
      this.lists.set(key, list);
      return list;
    }
    const list = this.lists.get(key);
    if (!list) return undefined; // its creation log is missing: the list stays unknown
    list.verified = false;
    const version = parsed.args.version as bigint;
    if (list.stale || version !== list.version + 1n) {
      list.stale = true;
      return list;
    }
    const operation = Number(parsed.args.operation) as StatusOperation;
    const sorted = parsed.topic === UPDATED_SORTED;
    const data = getBytes((sorted ? parsed.args.gaps : parsed.args.indexes) as string);
    list.head = sorted ? nextSortedHead(list.head, operation, data) : nextHead(list.head, operation, data);
    list.version = version;
    // Data the contract would have refused is an inconsistency (a forged or corrupted log), never entries.
    const indexes = sorted ? decodeSortedGaps(data, list.sizeLog2) : data.length % INDEX_BYTES === 0 ? unpackIndexes(data) : undefined;
    if (list.head !== parsed.args.head || !indexes || (operation !== StatusOperation.Set && operation !== StatusOperation.Clear)) {
      list.stale = true;
      return list;
    }
    const size = 2 ** list.sizeLog2;
    for (const index of indexes) {
      if (index >= size) continue; // the contract rejects these; never trust a log blindly
      if (operation === StatusOperation.Set) list.bits[index >>> 3] |= 1 << (index & 7);
      else if (!FINAL_PURPOSES.has(list.purpose)) list.bits[index >>> 3] &= ~(1 << (index & 7));
    }
    return list;
  }

  /**
   * Rebuilds one list from its own logs up to the block already synced (the main scan goes on from there);
   * returns the number of logs applied.
   */
  private async rebuild(list: MirroredList): Promise<number> {
    const logs = await scanLogs(
      this.options.provider,
      {
        address: this.registry,
        topics: [[CREATED, UPDATED, UPDATED_SORTED], zeroPadValue(list.identity, 32), toBeHex(list.listId, 32)],
      },
      this.options.fromBlock ?? 0,
      this.nextBlock - 1,
      this.options,
    );
    this.lists.delete(listKey(list.identity, list.listId));
    for (const log of logs) this.apply(log);
    return logs.length;
  }

  /** Compares a list's copy with the contract's state at `block`. */
  private async verify(list: MirroredList, block: number): Promise<boolean> {
    const current = this.lists.get(listKey(list.identity, list.listId)) ?? list;
    const [exists, , , version, head] = (await this.contract.getFunction('getList')(current.identity, current.listId, {
      blockTag: block,
    })) as [boolean, bigint, bigint, bigint, string];
    const ok = exists && !current.stale && version === current.version && head === current.head;
    current.verified = ok;
    current.stale = !ok;
    return ok;
  }
}
