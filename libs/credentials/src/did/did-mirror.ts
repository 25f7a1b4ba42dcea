import { Contract, getAddress, type Log } from 'ethers';
import type { DIDResolutionOptions, DIDResolutionResult, Resolvable } from 'did-resolver';
import { DID_REGISTRY_ABI } from '../chain/abi.js';
import { BlockTimeIndex } from '../chain/block-at-time.js';
import { ChainFollower, type FollowOptions } from '../chain/chain-follower.js';
import { scanLogs } from '../chain/log-scanner.js';
import { DID_JSON, DID_LD_JSON, buildDocument } from './did-document.js';
import { PendingExpiries, REGISTRY_TOPICS, appendLog, cloneHistory, emptyHistory, identityOf, type HistoryLimits, type IdentityHistory, type RegistryEvent } from './did-history.js';
import { isBrokenEthrDid, parseEthrDid } from './ethr-did.js';
import { checksummedAddress } from '../chain/address.js';

/** Options of {@link DidMirror}. */
export interface DidMirrorOptions extends FollowOptions, HistoryLimits {
  /** EIP-155 chain id: the mirror answers for `did:ethr:<hex chain id>:<address>` only. */
  chainId: number;
  /**
   * The resolver for what the mirror cannot answer itself (ethr-did-resolver reading the chain): other DIDs,
   * blocks the mirror has not synced, identities beyond the history limits, and any query while the mirror is
   * stale or inconsistent.
   */
  fallback: Resolvable;
  /** Block times, shared with the verification pipeline's block clock when given. @default one of its own */
  blockTimes?: BlockTimeIndex;
}

/** Whether an issuer's key was revoked on chain, as far as the mirror can tell (see {@link DidMirror.keyRevocation}). */
export type KeyRevocation = 'revoked' | 'not_revoked' | 'unknown';

const ETHR_DID_URL = /^(did:ethr:(0x[0-9a-fA-F]+):(0x[0-9a-fA-F]{40}))(?:\?versionId=([0-9]{1,15}))?$/;

/**
 * did:ethr documents from memory: follows the ERC-1056 registry's events (DIDOwnerChanged, DIDDelegateChanged,
 * DIDAttributeChanged) the way {@link StatusMirror} follows the status registry, keeps each identity's events,
 * and answers `resolve(did)` and `resolve(did?versionId=<block>)` with the document ethr-did-resolver 11 would
 * build (see {@link buildDocument}), without a chain call:
 * - delegates and attributes hold while their `validTo` is not before the time of the asked block (pinned) or
 *   the clock (unpinned, as ethr-did-resolver does); block times are settled while syncing (the first block
 *   past each `validTo`), so a query never waits on the chain;
 * - everything else goes to the fallback: blocks beyond the synced one, other DIDs, identities beyond the
 *   history limits, and any query while the mirror is stale or inconsistent.
 *
 * Memory: the events of identities that have any (bounded per identity by {@link HistoryLimits}); documents
 * are built per query (linear in the identity's events, cheaper than copying a cached one). An unpinned query
 * sees the registry as of the last sync (at most one poll interval behind the chain).
 */
export class DidMirror extends ChainFollower<{ block: number; logs: number }> implements Resolvable {
  private histories = new Map<string, IdentityHistory>();
  private pending = new PendingExpiries();
  private readonly registry: string;
  private readonly contract: Contract;
  private readonly blockTimes: BlockTimeIndex;
  private consistent = true;
  /** Queries answered from memory and by the fallback, since start. */
  readonly stats = { memory: 0, fallback: 0 };

  constructor(private readonly options: DidMirrorOptions) {
    super(options);
    this.registry = getAddress(options.registry);
    this.contract = new Contract(this.registry, DID_REGISTRY_ABI, options.provider);
    this.blockTimes = options.blockTimes ?? new BlockTimeIndex(options.provider);
  }

  /** Identities with at least one registry event. */
  get identityCount(): number {
    return this.histories.size;
  }

  async resolve(didUrl: string, options: DIDResolutionOptions = {}): Promise<DIDResolutionResult> {
    // A broken did:ethr (wrong EIP-55 checksum…) is answered as such: ethr-did-resolver would throw on it,
    // which reads as a chain failure.
    const broken = brokenDid(didUrl);
    if (broken) return { didResolutionMetadata: { error: 'invalidDid', message: broken }, didDocumentMetadata: {}, didDocument: null };
    const answer = this.build(didUrl, options)?.result;
    if (answer) {
      this.stats.memory++;
      return answer;
    }
    this.stats.fallback++;
    return this.options.fallback.resolve(didUrl, options);
  }

  /**
   * Whether the key `methodId` of `did`'s document at `block` was revoked (ERC-1056 `revokeAttribute` or
   * `revokeDelegate`, or re-set with validity 0) at any block up to the synced one: a revocation is
   * retroactive, whatever the block asked. A key that merely reached its `validTo` is not revoked. `#controller`
   * (the owner) is never revoked here: an owner change is a rotation. `unknown` when the mirror cannot vouch:
   * stale, inconsistent, another chain, an identity left to the fallback, or a key it does not know at `block`.
   * A block beyond the synced one (a credential signed in the last poll interval) first brings the mirror up to
   * the chain, then is read at the synced block.
   */
  async keyRevocation(did: string, methodId: string, block: number): Promise<KeyRevocation> {
    if (block > this.syncedBlock) await this.sync().catch(() => undefined);
    const built = this.build(`${did}?versionId=${Math.min(block, this.syncedBlock)}`, { accept: DID_JSON });
    if (!built?.result.didDocument) return 'unknown';
    const document = built.result.didDocument;
    if (methodId === `${document.id}#controller`) return 'not_revoked';
    const key = built.sources.get(methodId);
    if (key === undefined) return 'unknown';
    const address = getAddress(ETHR_DID_URL.exec(did)![3]);
    return this.histories.get(address)?.revoked.has(key) ? 'revoked' : 'not_revoked';
  }

  private fresh(): boolean {
    return this.consistent && this.recentlySynced();
  }

  /** The document of a query the mirror may answer, with the sources of its keys; undefined for the fallback. */
  private build(didUrl: string, options: DIDResolutionOptions) {
    const accept = options.accept ?? DID_LD_JSON;
    if (accept !== DID_JSON && accept !== DID_LD_JSON) return undefined;
    const match = ETHR_DID_URL.exec(didUrl);
    if (!match || BigInt(match[2]) !== BigInt(this.options.chainId) || !this.fresh()) return undefined;
    const pinned = match[4] !== undefined ? Number(match[4]) : undefined;
    if (pinned !== undefined && pinned > this.syncedBlock) return undefined;
    const address = checksummedAddress(match[3]);
    const history = this.histories.get(address);
    if (history?.unanswerable) return undefined;
    const now = BigInt(Math.floor((this.options.now ?? Date.now)() / 1000));
    const holds =
      pinned === undefined
        ? (event: RegistryEvent) => event.validTo! >= now
        : (event: RegistryEvent) => event.expiresAt === undefined || pinned < event.expiresAt;
    return buildDocument({ did: match[1], address, chainId: this.options.chainId, events: history?.events ?? [], block: pinned ?? 'latest', holds, accept });
  }

  protected async pull(): Promise<{ block: number; logs: number }> {
    const latest = await this.targetBlock();
    const rebuild = !this.consistent;
    const fromBlock = rebuild ? (this.options.fromBlock ?? 0) : this.nextBlock;
    let logs: Log[] = [];
    if (latest >= fromBlock) {
      logs = await scanLogs(this.options.provider, { address: this.registry, topics: [REGISTRY_TOPICS] }, fromBlock, latest, this.options);
    }
    const times = await this.timesOf([...new Set(logs.map((log) => log.blockNumber))]);
    // Applied to copies of the touched histories, which replace the current ones only once proved (see StatusMirror).
    const next = rebuild ? new Map<string, IdentityHistory>() : new Map(this.histories);
    const touched = new Set<string>();
    const added: RegistryEvent[] = [];
    for (const log of logs) {
      const identity = identityOf(log);
      if (!touched.has(identity)) {
        const current = next.get(identity);
        next.set(identity, current ? cloneHistory(current) : emptyHistory());
        touched.add(identity);
      }
      const event = appendLog(next.get(identity)!, log, times.get(log.blockNumber)!, this.options);
      if (event) added.push(event);
    }
    // The registry links each identity's events (`changed`): a node that left one out shows here.
    const identities = [...touched];
    for (let i = 0; i < identities.length; i += 20) {
      const checks = await Promise.all(
        identities.slice(i, i + 20).map(async (identity) => {
          const changed = (await this.contract.getFunction('changed')(identity, { blockTag: latest })) as bigint;
          return Number(changed) === next.get(identity)!.lastBlock;
        }),
      );
      if (!checks.every(Boolean)) {
        this.consistent = false;
        return { block: latest, logs: logs.length };
      }
    }
    // Should settling fail (the chain unreachable), the next sync scans these blocks again: the events queued
    // now then belong to no history, and settling them later only costs a search.
    const pending = rebuild ? new PendingExpiries() : this.pending;
    for (const event of added) pending.add(event);
    // Expiries the chain's clock has passed by the new head: settled before any query may ask that far.
    if (pending.size > 0) await pending.settle(await this.blockTimes.timestampOf(latest), (t) => this.blockTimes.blockAt(t));
    this.histories = next;
    this.pending = pending;
    this.consistent = true;
    this.markSynced(latest);
    return { block: latest, logs: logs.length };
  }

  /** Timestamps of the blocks holding new events, 20 requests at a time. */
  private async timesOf(blocks: number[]): Promise<Map<number, number>> {
    const times = new Map<number, number>();
    for (let i = 0; i < blocks.length; i += 20) {
      const batch = blocks.slice(i, i + 20);
      const stamps = await Promise.all(batch.map((b) => this.blockTimes.timestampOf(b)));
      batch.forEach((b, k) => times.set(b, stamps[k]));
    }
    return times;
  }
}

/** Why the DID of a did:ethr URL is broken, if it is. */
function brokenDid(didUrl: string): string | undefined {
  if (!didUrl.startsWith('did:ethr:')) return undefined;
  let end = didUrl.length;
  for (const mark of ['?', '#', '/']) {
    const at = didUrl.indexOf(mark);
    if (at >= 0 && at < end) end = at;
  }
  const parsed = parseEthrDid(didUrl.slice(0, end));
  return !parsed.ok && isBrokenEthrDid(parsed.reason) ? parsed.message : undefined;
}
