import { Contract, Interface, getAddress, type Log } from 'ethers';
import { TRUST_REGISTRY_ABI } from '../chain/abi.js';
import { ChainFollower, type FollowOptions } from '../chain/chain-follower.js';
import { scanLogs } from '../chain/log-scanner.js';
import { credentialTypeHash, type AccreditationPeriod } from './trust-registry.js';
import { checksummedAddress } from '../chain/address.js';

/**
 * What the trust mirror can say about an issuer, a credential type and a time:
 * - `accredited`: a period of that type covers the time;
 * - `not_in_force`: the issuer has periods for that type, none covering the time (ended, withdrawn, not begun);
 * - `other_types_only`: the issuer is accredited for other types only;
 * - `never`: the issuer has no accreditation at all;
 * - `unknown`: the mirror is not in sync with the chain and cannot vouch either way.
 */
export type AccreditationAnswer = 'accredited' | 'not_in_force' | 'other_types_only' | 'never' | 'unknown';

/** Options of {@link TrustMirror}. */
export type TrustMirrorOptions = FollowOptions;

/** What one {@link TrustMirror.sync} did. */
export interface TrustSyncReport {
  block: number;
  logs: number;
  /** Whether the copy had to be rebuilt from the deployment block. */
  rebuilt: boolean;
}

const iface = new Interface(TRUST_REGISTRY_ABI);
const ACCREDITED = iface.getEvent('Accredited')!.topicHash;
const WITHDRAWN = iface.getEvent('AccreditationWithdrawn')!.topicHash;

/**
 * An in-memory copy of a TrustRegistry's accreditation periods, rebuilt from its `Accredited` and
 * `AccreditationWithdrawn` logs, so that a verification asks the chain nothing (the node never learns
 * which issuer was checked, and verification does not slow down with the RPC).
 *
 * The registry keeps no running hash, so completeness is proved per (issuer, type) pair touched by a sync:
 * its periods are compared with `accreditations()` at the synced block. A gap in period indexes or a
 * mismatch makes the mirror answer `unknown` until it has been rebuilt from the deployment block; so does
 * not having synced for `maxStalenessMs`.
 */
export class TrustMirror extends ChainFollower<TrustSyncReport> {
  /** issuer (checksummed) → type hash → periods by index. */
  private periods = new Map<string, Map<string, AccreditationPeriod[]>>();
  private readonly contract: Contract;
  private readonly registry: string;
  private consistent = true;

  constructor(private readonly options: TrustMirrorOptions) {
    super(options);
    this.registry = getAddress(options.registry);
    this.contract = new Contract(this.registry, TRUST_REGISTRY_ABI, options.provider);
  }

  /**
   * Whether `issuer` was accredited for `typeName` at `at`, from memory (see {@link AccreditationAnswer}).
   * @param issuer Issuer identity address.
   * @param at Unix seconds.
   */
  accreditationAt(issuer: string, typeName: string, at: number): AccreditationAnswer {
    if (!this.fresh()) return 'unknown';
    let key: string;
    try {
      key = checksummedAddress(issuer);
    } catch {
      return 'never';
    }
    const byType = this.periods.get(key);
    if (!byType || byType.size === 0) return 'never';
    const periods = byType.get(credentialTypeHash(typeName));
    if (!periods || periods.length === 0) return 'other_types_only';
    const t = BigInt(Math.floor(at));
    return periods.some((p) => p.validFrom <= t && t < p.validUntil) ? 'accredited' : 'not_in_force';
  }

  /** Same question as `TrustRegistry.isAccredited`; undefined when the mirror cannot vouch. */
  isAccredited(issuer: string, typeName: string, at: number): boolean | undefined {
    const answer = this.accreditationAt(issuer, typeName, at);
    return answer === 'unknown' ? undefined : answer === 'accredited';
  }

  private fresh(): boolean {
    return this.consistent && this.recentlySynced();
  }

  protected async pull(): Promise<TrustSyncReport> {
    const latest = await this.targetBlock();
    const rebuilt = !this.consistent;
    const fromBlock = rebuilt ? (this.options.fromBlock ?? 0) : this.nextBlock;
    // Logs are applied to a copy that replaces the current one only once proved: lookups never see a
    // half-applied sync, and a failure part-way leaves the previous copy in place.
    const next = rebuilt ? new Map<string, Map<string, AccreditationPeriod[]>>() : clonePeriods(this.periods);
    let logs: Log[] = [];
    if (latest >= fromBlock) {
      logs = await scanLogs(
        this.options.provider,
        { address: this.registry, topics: [[ACCREDITED, WITHDRAWN]] },
        fromBlock,
        latest,
        this.options,
      );
    }
    const touched = new Map<string, [string, string]>();
    let ok = true;
    for (const log of logs) {
      const pair = applyLog(next, log);
      if (!pair) ok = false;
      else touched.set(`${pair[0]}/${pair[1]}`, pair);
    }
    if (ok) {
      for (const [issuer, typeHash] of touched.values()) {
        if (!(await this.matchesChain(next, issuer, typeHash, latest))) ok = false;
      }
    }
    if (!ok) {
      this.consistent = false;
      return { block: latest, logs: logs.length, rebuilt };
    }
    this.periods = next;
    this.consistent = true;
    this.markSynced(latest);
    return { block: latest, logs: logs.length, rebuilt };
  }

  /** Compares one pair's periods with the contract's at `block`. */
  private async matchesChain(
    periods: Map<string, Map<string, AccreditationPeriod[]>>,
    issuer: string,
    typeHash: string,
    block: number,
  ): Promise<boolean> {
    const onChain = (await this.contract.getFunction('accreditations')(issuer, typeHash, { blockTag: block })) as Array<
      [bigint, bigint]
    >;
    const mine = periods.get(issuer)?.get(typeHash) ?? [];
    return (
      onChain.length === mine.length &&
      onChain.every(([validFrom, validUntil], i) => mine[i].validFrom === validFrom && mine[i].validUntil === validUntil)
    );
  }
}

function clonePeriods(source: Map<string, Map<string, AccreditationPeriod[]>>): Map<string, Map<string, AccreditationPeriod[]>> {
  const copy = new Map<string, Map<string, AccreditationPeriod[]>>();
  for (const [issuer, byType] of source) {
    copy.set(issuer, new Map([...byType].map(([type, periods]) => [type, periods.map((p) => ({ ...p }))])));
  }
  return copy;
}

/** Applies one log to `periods`; returns the (issuer, type hash) it touched, or undefined on a gap. */
function applyLog(periods: Map<string, Map<string, AccreditationPeriod[]>>, log: Log): [string, string] | undefined {
  const parsed = iface.parseLog(log);
  if (!parsed) return undefined;
  const issuer = getAddress(parsed.args.issuer as string);
  const typeHash = (parsed.args.credentialType as string).toLowerCase();
  const index = Number(parsed.args.periodIndex as bigint);
  let byType = periods.get(issuer);
  if (!byType) periods.set(issuer, (byType = new Map()));
  let list = byType.get(typeHash);
  if (!list) byType.set(typeHash, (list = []));
  if (parsed.topic === ACCREDITED) {
    if (index !== list.length) return undefined;
    list.push({ validFrom: parsed.args.validFrom as bigint, validUntil: parsed.args.validUntil as bigint });
  } else {
    const period = list[index];
    if (!period) return undefined;
    period.validUntil = parsed.args.validUntil as bigint;
  }
  return [issuer, typeHash];
}
