import { Contract, Interface, getAddress, type Log } from 'ethers';
import type { DIDResolutionOptions, DIDResolutionResult, Resolvable } from 'did-resolver';
import { DID_REGISTRY_ABI } from '../chain/abi.js';
import { ChainFollower, type FollowOptions } from '../chain/chain-follower.js';
import { scanLogs } from '../chain/log-scanner.js';
import { isBrokenEthrDid, parseEthrDid } from './ethr-did.js';
import { checksummedAddress } from '../chain/address.js';

/** Options of {@link DidMirror}. */
export interface DidMirrorOptions extends FollowOptions {
  /** EIP-155 chain id: the mirror answers for `did:ethr:<hex chain id>:<address>` only. */
  chainId: number;
  /**
   * The resolver for everything the mirror does not answer itself (ethr-did-resolver reading the chain):
   * other DIDs, blocks the mirror has not synced, identities with delegates or attributes, and the first
   * resolution of each owner history.
   */
  fallback: Resolvable;
  /** Documents kept in memory (one per DID and owner version). @default 100000 */
  maxCachedDocuments?: number;
}

/** What the mirror knows of one identity: the blocks of its registry events, ascending. */
interface IdentityHistory {
  blocks: number[];
  /** A delegate or attribute event: documents then depend on validity windows, i.e. on time. */
  timed: boolean;
}

const registryInterface = new Interface([
  ...DID_REGISTRY_ABI,
  'event DIDOwnerChanged(address indexed identity, address owner, uint previousChange)',
  'event DIDDelegateChanged(address indexed identity, bytes32 delegateType, address delegate, uint validTo, uint previousChange)',
  'event DIDAttributeChanged(address indexed identity, bytes32 name, bytes value, uint validTo, uint previousChange)',
]);
const OWNER_CHANGED = registryInterface.getEvent('DIDOwnerChanged')!.topicHash;
const DELEGATE_CHANGED = registryInterface.getEvent('DIDDelegateChanged')!.topicHash;
const ATTRIBUTE_CHANGED = registryInterface.getEvent('DIDAttributeChanged')!.topicHash;

const ETHR_DID_URL = /^(did:ethr:(0x[0-9a-fA-F]+):(0x[0-9a-fA-F]{40}))(?:\?versionId=([0-9]{1,15}))?$/;
const DID_JSON = 'application/did+json';
const DID_LD_JSON = 'application/did+ld+json';
// Exactly the contexts ethr-did-resolver 11 adds for did+ld+json (the unit test compares whole documents).
const LD_CONTEXT = [
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/suites/secp256k1recovery-2020/v2',
  'https://w3id.org/security/v3-unstable',
];

/**
 * did:ethr documents from memory: follows the ERC-1056 registry's events (DIDOwnerChanged,
 * DIDDelegateChanged, DIDAttributeChanged) the way {@link StatusMirror} follows the status registry, and
 * answers `resolve(did)` and `resolve(did?versionId=<block>)` without a chain call whenever it can:
 * - an identity with no registry event up to the asked block has the default document (its own address as
 *   controller), built here;
 * - an identity with owner changes only has one document per owner version (the block of its last change at
 *   or before the asked block): the first resolution of a version goes to ethr-did-resolver, the document is
 *   then kept (a version's document never changes);
 * - everything else goes to the fallback: identities with delegates or attributes (their documents depend on
 *   validity windows, i.e. on the time of the asked block), blocks beyond the synced one, other DIDs, and any
 *   query while the mirror is stale or inconsistent.
 *
 * Like the status mirror, an unpinned query sees the registry as of the last sync (at most one poll interval
 * behind the chain). Document metadata of a cached version is that of its first resolution.
 */
export class DidMirror extends ChainFollower<{ block: number; logs: number }> implements Resolvable {
  private histories = new Map<string, IdentityHistory>();
  private readonly documents = new Map<string, DIDResolutionResult>();
  private readonly inflight = new Map<string, Promise<DIDResolutionResult>>();
  private readonly registry: string;
  private readonly contract: Contract;
  private consistent = true;
  /** Queries answered from memory and by the fallback, since start. */
  readonly stats = { memory: 0, fallback: 0 };

  constructor(private readonly options: DidMirrorOptions) {
    super(options);
    this.registry = getAddress(options.registry);
    this.contract = new Contract(this.registry, DID_REGISTRY_ABI, options.provider);
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
    const answer = this.fromMemory(didUrl, options);
    if (answer) {
      this.stats.memory++;
      return answer;
    }
    this.stats.fallback++;
    const version = this.cacheableVersion(didUrl, options);
    if (!version) return this.options.fallback.resolve(didUrl, options);
    // Concurrent first resolutions of one version share one chain read.
    let pending = this.inflight.get(version.key);
    if (!pending) {
      pending = this.options.fallback.resolve(`${version.did}?versionId=${version.block}`, options).finally(() => this.inflight.delete(version.key));
      this.inflight.set(version.key, pending);
      const result = await pending;
      if (!result.didResolutionMetadata?.error && result.didDocument) {
        if (this.documents.size >= (this.options.maxCachedDocuments ?? 100_000)) this.documents.clear();
        this.documents.set(version.key, result);
      }
    } else {
      this.stats.fallback--;
      this.stats.memory++;
    }
    return structuredClone(await pending);
  }

  private fresh(): boolean {
    return this.consistent && this.recentlySynced();
  }

  /** The DID, its address and the block a query asks about, when the mirror may answer it at all. */
  private parse(didUrl: string, options: DIDResolutionOptions) {
    const accept = options.accept ?? DID_LD_JSON;
    if (accept !== DID_JSON && accept !== DID_LD_JSON) return undefined;
    const match = ETHR_DID_URL.exec(didUrl);
    if (!match || BigInt(match[2]) !== BigInt(this.options.chainId) || !this.fresh()) return undefined;
    const block = match[4] !== undefined ? Number(match[4]) : this.syncedBlock;
    if (block > this.syncedBlock) return undefined;
    const address = checksummedAddress(match[3]);
    return { did: match[1], address, block, accept, history: this.histories.get(address) };
  }

  /** The owner version (last event block at or before the asked block) of an owner-only history. */
  private cacheableVersion(didUrl: string, options: DIDResolutionOptions) {
    const query = this.parse(didUrl, options);
    if (!query?.history || query.history.timed) return undefined;
    const block = lastAtOrBefore(query.history.blocks, query.block);
    if (block === undefined) return undefined;
    return { did: query.did, block, key: `${query.accept} ${query.did} ${block}` };
  }

  private fromMemory(didUrl: string, options: DIDResolutionOptions): DIDResolutionResult | undefined {
    const query = this.parse(didUrl, options);
    if (!query) return undefined;
    if (!query.history || lastAtOrBefore(query.history.blocks, query.block) === undefined) {
      return defaultDocument(query.did, query.address, this.options.chainId, query.accept);
    }
    const version = this.cacheableVersion(didUrl, options);
    const cached = version && this.documents.get(version.key);
    return cached ? structuredClone(cached) : undefined;
  }

  protected async pull(): Promise<{ block: number; logs: number }> {
    const latest = await this.targetBlock();
    const rebuild = !this.consistent;
    const fromBlock = rebuild ? (this.options.fromBlock ?? 0) : this.nextBlock;
    // Applied to a copy that replaces the current one only once proved (see StatusMirror).
    const next = new Map<string, IdentityHistory>();
    if (!rebuild) for (const [k, v] of this.histories) next.set(k, { blocks: [...v.blocks], timed: v.timed });
    let logs: Log[] = [];
    if (latest >= fromBlock) {
      logs = await scanLogs(
        this.options.provider,
        { address: this.registry, topics: [[OWNER_CHANGED, DELEGATE_CHANGED, ATTRIBUTE_CHANGED]] },
        fromBlock,
        latest,
        this.options,
      );
    }
    const touched = new Set<string>();
    for (const log of logs) {
      const identity = getAddress(`0x${log.topics[1].slice(26)}`);
      const history = next.get(identity) ?? { blocks: [], timed: false };
      if (history.blocks.at(-1) !== log.blockNumber) history.blocks.push(log.blockNumber);
      if (log.topics[0] !== OWNER_CHANGED) history.timed = true;
      next.set(identity, history);
      touched.add(identity);
    }
    // The registry links each identity's events (`changed`): a node that left one out shows here.
    let ok = true;
    const identities = [...touched];
    for (let i = 0; ok && i < identities.length; i += 20) {
      const checks = await Promise.all(
        identities.slice(i, i + 20).map(async (identity) => {
          const changed = (await this.contract.getFunction('changed')(identity, { blockTag: latest })) as bigint;
          return Number(changed) === next.get(identity)!.blocks.at(-1);
        }),
      );
      ok = checks.every(Boolean);
    }
    if (!ok) {
      this.consistent = false;
      return { block: latest, logs: logs.length };
    }
    this.histories = next;
    this.consistent = true;
    this.markSynced(latest);
    return { block: latest, logs: logs.length };
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

function lastAtOrBefore(sorted: number[], block: number): number | undefined {
  let found: number | undefined;
  for (const b of sorted) {
    if (b > block) break;
    found = b;
  }
  return found;
}

/**
 * The document ethr-did-resolver builds for an identity without registry events: its own address controls
 * it. Hand-built because ethr-did-resolver does not export its document builder; the unit test compares it
 * with ethr-did-resolver's answer.
 */
function defaultDocument(did: string, address: string, chainId: number, accept: string): DIDResolutionResult {
  const controller = `${did}#controller`;
  return {
    didDocumentMetadata: {},
    didResolutionMetadata: { contentType: accept },
    didDocument: {
      id: did,
      verificationMethod: [
        { id: controller, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:${chainId}:${address}` },
      ],
      authentication: [controller],
      assertionMethod: [controller],
      ...(accept === DID_LD_JSON ? { '@context': [...LD_CONTEXT] } : {}),
    },
  };
}
