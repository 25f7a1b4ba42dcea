import { Contract, Interface, getAddress, type Log } from 'ethers';
import { ChainFollower, type FollowOptions } from '../chain/chain-follower.js';
import { scanLogs } from '../chain/log-scanner.js';
import { credentialTypeHash } from './trust-registry.js';
import { ethrDidAddress } from '../did/resolver.js';
import { decodeClaimPath, type ClaimPath } from './claim-path.js';
import { VERIFIER_REGISTRY_ABI } from './verifier-abi.js';
import { verifierContentHash } from './verifier-registry.js';
import { scopeAllows, standingAt, type MayAskAnswer, type VerifierRegistration, type VerifierStanding } from './verifier-scope.js';

/** Options of {@link VerifierMirror}. */
export interface VerifierMirrorOptions extends FollowOptions {
  /** EIP-155 chain id: verifier DIDs must be did:ethr on this chain. */
  chainId: number | bigint;
  /** Credential type names to show in registrations (the chain holds only their hashes). @default none */
  typeNames?: readonly string[];
}

/** What one {@link VerifierMirror.sync} did. */
export interface VerifierSyncReport {
  block: number;
  logs: number;
  /** Whether the copy had to be rebuilt from the deployment block. */
  rebuilt: boolean;
}

/** A registration as held: the public view and the content hash recomputed from its event. */
interface Held extends VerifierRegistration {
  contentHash: string;
}
type Copy = Map<string, Held[]>;

const iface = new Interface(VERIFIER_REGISTRY_ABI);
const REGISTERED = iface.getEvent('VerifierRegistered')!.topicHash;
const SUPERSEDED = iface.getEvent('RegistrationSuperseded')!.topicHash;
const WITHDRAWN = iface.getEvent('RegistrationWithdrawn')!.topicHash;

/**
 * An in-memory copy of a VerifierRegistry, rebuilt from its events, that answers "may this verifier ask for
 * these claims?" with no RPC per question: neither the verifier service nor a wallet tells the node whom it checks.
 *
 * Completeness and integrity are proved per verifier touched by a sync: its registrations (periods, withdrawal,
 * and the content hash recomputed from the event's texts and scope) must equal `registrations()` at the synced
 * block. A gap in indexes, a mismatch, or no successful sync for `maxStalenessMs` makes every answer `unknown`
 * until the copy has been rebuilt from the deployment block.
 */
export class VerifierMirror extends ChainFollower<VerifierSyncReport> {
  private copy: Copy = new Map();
  private readonly contract: Contract;
  private readonly registry: string;
  private readonly typeNames: Map<string, string>;
  private consistent = true;

  constructor(private readonly options: VerifierMirrorOptions) {
    super(options);
    this.registry = getAddress(options.registry);
    this.contract = new Contract(this.registry, VERIFIER_REGISTRY_ABI, options.provider);
    this.typeNames = new Map((options.typeNames ?? []).map((name) => [credentialTypeHash(name), name]));
  }

  /** Number of verifiers with at least one registration. */
  get verifierCount(): number {
    return this.copy.size;
  }

  /**
   * Whether `verifierDid` has a registration in force at `at` (Unix seconds), and if not why: `not_registered`,
   * `withdrawn`, `expired`, `not_yet_valid`, or `unknown` when the mirror cannot vouch.
   */
  standing(verifierDid: string, at: number): VerifierStanding {
    if (!this.fresh()) return { inForce: false, reason: 'unknown' };
    const address = typeof verifierDid === 'string' ? ethrDidAddress(verifierDid, this.options.chainId) : undefined;
    if (!address || !Number.isFinite(at)) return { inForce: false, reason: 'not_registered' };
    return standingAt(this.copy.get(address) ?? [], BigInt(Math.floor(at)));
  }

  /** The registration of `verifierDid` in force at `at`; undefined when none is, or the mirror cannot vouch (see {@link standing}). */
  registration(verifierDid: string, at: number): VerifierRegistration | undefined {
    const standing = this.standing(verifierDid, at);
    return standing.inForce ? standing.registration : undefined;
  }

  /**
   * Whether `verifierDid` may ask, at `at`, for the claims `claimPaths` of credentials of type `credentialType`: its
   * registration in force lists the type, and each path equals or lies under a registered path. An empty list asks
   * for the type alone; `[[]]` for the whole credential.
   */
  mayAsk(verifierDid: string, credentialType: string, claimPaths: readonly ClaimPath[], at: number): MayAskAnswer {
    const standing = this.standing(verifierDid, at);
    if (!standing.inForce) return { allowed: false, reason: standing.reason };
    if (typeof credentialType !== 'string' || !Array.isArray(claimPaths)) return { allowed: false, reason: 'type_not_allowed' };
    return scopeAllows(standing.registration, credentialTypeHash(credentialType), claimPaths);
  }

  private fresh(): boolean {
    return this.consistent && this.recentlySynced();
  }

  protected async pull(): Promise<VerifierSyncReport> {
    const latest = await this.targetBlock();
    const rebuilt = !this.consistent;
    const fromBlock = rebuilt ? (this.options.fromBlock ?? 0) : this.nextBlock;
    // Applied to a copy that replaces the current one only once proved: answers never see a half-applied sync.
    const next: Copy = rebuilt ? new Map() : new Map([...this.copy].map(([k, list]) => [k, list.map((r) => ({ ...r }))]));
    const logs =
      latest >= fromBlock
        ? await scanLogs(this.options.provider, { address: this.registry, topics: [[REGISTERED, SUPERSEDED, WITHDRAWN]] }, fromBlock, latest, this.options)
        : [];
    const touched = new Set<string>();
    let ok = true;
    for (const log of logs) {
      const verifier = this.apply(next, log);
      if (verifier) touched.add(verifier);
      else ok = false;
    }
    for (const verifier of touched) {
      if (!ok) break;
      ok = await this.matchesChain(next.get(verifier) ?? [], verifier, latest);
    }
    if (!ok) {
      this.consistent = false;
      return { block: latest, logs: logs.length, rebuilt };
    }
    this.copy = next;
    this.consistent = true;
    this.markSynced(latest);
    return { block: latest, logs: logs.length, rebuilt };
  }

  /** Applies one log; returns the verifier it touched, or undefined for a gap or a log that cannot be read. */
  private apply(copy: Copy, log: Log): string | undefined {
    let parsed;
    try {
      parsed = iface.parseLog(log);
    } catch {
      return undefined;
    }
    if (!parsed) return undefined;
    const verifier = getAddress(parsed.args.verifier as string);
    const index = Number(parsed.args.index as bigint);
    let list = copy.get(verifier);
    if (!list) copy.set(verifier, (list = []));
    if (parsed.topic === REGISTERED) {
      if (index !== list.length) return undefined;
      list.push(this.held(verifier, index, parsed.args));
      return verifier;
    }
    const held = list[index];
    if (!held) return undefined;
    held.validUntil = parsed.args.validUntil as bigint;
    if (parsed.topic === WITHDRAWN) held.withdrawn = true;
    return verifier;
  }

  /** A registration from its event; the content hash is recomputed from the texts and scope, never taken from the log. */
  private held(verifier: string, index: number, args: Record<string, unknown> & ArrayLike<unknown>): Held {
    const scope = (args.scope as Array<{ credentialType: string; claimPaths: string[] }>).map((s) => ({
      credentialType: s.credentialType.toLowerCase(),
      claimPaths: [...s.claimPaths],
    }));
    const t = args.texts as unknown as { nameZh: string; nameEn: string; purposeZh: string; purposeEn: string };
    const texts = { nameZh: t.nameZh, nameEn: t.nameEn, purposeZh: t.purposeZh, purposeEn: t.purposeEn };
    // One entry per type; a path text not in canonical form grants nothing.
    const byType = new Map<string, ClaimPath[]>();
    for (const s of scope) {
      const paths = byType.get(s.credentialType) ?? [];
      for (const text of s.claimPaths) {
        const path = decodeClaimPath(text);
        if (path) paths.push(path);
      }
      byType.set(s.credentialType, paths);
    }
    return {
      verifier,
      index,
      name: { 'zh-CN': texts.nameZh, en: texts.nameEn },
      purpose: { 'zh-CN': texts.purposeZh, en: texts.purposeEn },
      credentials: [...byType].map(([typeHash, claims]) => {
        const type = this.typeNames.get(typeHash);
        return { typeHash, ...(type ? { type } : {}), claims };
      }),
      validFrom: args.validFrom as bigint,
      validUntil: args.validUntil as bigint,
      withdrawn: false,
      contentHash: verifierContentHash(scope, texts),
    };
  }

  /** Compares one verifier's registrations with the contract's at `block`. */
  private async matchesChain(mine: Held[], verifier: string, block: number): Promise<boolean> {
    const onChain = (await this.contract.getFunction('registrations')(verifier, { blockTag: block })) as Array<[bigint, bigint, boolean, string]>;
    return (
      onChain.length === mine.length &&
      onChain.every(
        ([validFrom, validUntil, withdrawn, contentHash], i) =>
          mine[i].validFrom === validFrom &&
          mine[i].validUntil === validUntil &&
          mine[i].withdrawn === withdrawn &&
          mine[i].contentHash === contentHash.toLowerCase(),
      )
    );
  }
}
