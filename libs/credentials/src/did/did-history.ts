import { Interface, getAddress, type Log } from 'ethers';
import { bytes32toString } from 'ethr-did-resolver';
import { DID_REGISTRY_ABI } from '../chain/abi.js';

/**
 * One ERC-1056 registry event, shaped as ethr-did-resolver 11's log decoder shapes it (`_eventName`,
 * `blockNumber`, bytes32 names as strings, `validTo` as a bigint), so the document builder can follow its
 * code line by line. Plus what the mirror learns while syncing: the time of the event's block and, once the
 * chain's clock has passed `validTo`, the first block at which the event no longer holds.
 */
export interface RegistryEvent {
  _eventName: 'DIDOwnerChanged' | 'DIDDelegateChanged' | 'DIDAttributeChanged';
  blockNumber: number;
  previousChange: bigint;
  owner?: string;
  delegateType?: string;
  delegate?: string;
  name?: string;
  value?: string;
  validTo?: bigint;
  /** Timestamp of the event's block (Unix seconds). */
  time: number;
  /**
   * First block whose timestamp is past `validTo` (ethr-did-resolver keeps a key while `validTo >= block time`).
   * Undefined while the synced head's time has not passed `validTo` yet: the event holds at every synced block.
   */
  expiresAt?: number;
}

/** What the mirror keeps of one identity. */
export interface IdentityHistory {
  /** Its events in chain order (empty once `unanswerable`). */
  events: RegistryEvent[];
  /** Block of its last event: the registry's `changed(identity)` must equal it. */
  lastBlock: number;
  /** Attribute value bytes held, towards {@link HistoryLimits.maxValueBytesPerIdentity}. */
  valueBytes: number;
  /** Keys (ethr-did-resolver's event index: event, type or name, delegate or value) revoked at some synced block. */
  revoked: Set<string>;
  /**
   * Set when the mirror gives up on this identity and leaves it to ethr-did-resolver: more events or value
   * bytes than the limits allow (a registry anyone writes to must not grow the mirror without bound), or a
   * bytes32 name that is not UTF-8 (ethr-did-resolver throws on it; the fallback answers exactly so).
   */
  unanswerable?: 'too_large' | 'unreadable';
}

/** Bounds of one identity's history in memory. */
export interface HistoryLimits {
  /** @default 1000 */
  maxEventsPerIdentity?: number;
  /** Attribute value bytes. @default 65536 */
  maxValueBytesPerIdentity?: number;
}

export const registryInterface = new Interface([
  ...DID_REGISTRY_ABI,
  'event DIDOwnerChanged(address indexed identity, address owner, uint previousChange)',
  'event DIDDelegateChanged(address indexed identity, bytes32 delegateType, address delegate, uint validTo, uint previousChange)',
  'event DIDAttributeChanged(address indexed identity, bytes32 name, bytes value, uint validTo, uint previousChange)',
]);
export const REGISTRY_TOPICS = ['DIDOwnerChanged', 'DIDDelegateChanged', 'DIDAttributeChanged'].map((name) => registryInterface.getEvent(name)!.topicHash);

/** The identity a registry log is about (its first indexed topic), checksummed. */
export function identityOf(log: Log): string {
  return getAddress(`0x${log.topics[1].slice(26)}`);
}

export function emptyHistory(): IdentityHistory {
  return { events: [], lastBlock: -1, valueBytes: 0, revoked: new Set() };
}

/** A copy the next sync may change while queries keep reading the current one (event objects are shared). */
export function cloneHistory(history: IdentityHistory): IdentityHistory {
  return { ...history, events: [...history.events], revoked: new Set(history.revoked) };
}

/**
 * ethr-did-resolver's key of an event (`eventIndex` in wrapDidDocument): a later event with the same key
 * replaces or removes what an earlier one added.
 */
export function eventKey(event: RegistryEvent): string {
  return `${event._eventName}-${event.delegateType || event.name}-${event.delegate || event.value}`;
}

/**
 * Whether an event revokes its key: ERC-1056 `revokeAttribute` emits `validTo` 0 and `revokeDelegate` the
 * block's own time; an add with validity 0 (also `validTo` = block time) ends the key at once and reads the
 * same. A key that merely reaches a `validTo` set in the future is not revoked.
 */
function revokes(event: RegistryEvent): boolean {
  return event.validTo !== undefined && event.validTo <= BigInt(event.time);
}

/**
 * Decodes a registry log as ethr-did-resolver's logDecoder does (bytes32 → string, trailing NULs dropped);
 * undefined when a bytes32 is not UTF-8 (ethr-did-resolver throws on it).
 */
function decode(log: Log, time: number): RegistryEvent | undefined {
  const parsed = registryInterface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return undefined;
  const event: Record<string, unknown> = { _eventName: parsed.name, blockNumber: log.blockNumber, time };
  try {
    parsed.fragment.inputs.forEach((input, i) => {
      const value: unknown = parsed.args[i];
      event[input.name] = input.type === 'bytes32' ? bytes32toString(value as string) : value;
    });
  } catch {
    return undefined;
  }
  const decoded = event as unknown as RegistryEvent;
  // Already past at its own block (a revoked attribute's 0): it never holds. A `validTo` equal to the block's
  // time holds at that block (ethr-did-resolver compares `validTo >= time`) and is settled like any other.
  if (decoded.validTo !== undefined && decoded.validTo < BigInt(time)) decoded.expiresAt = log.blockNumber;
  return decoded;
}

/**
 * Appends one log to a history (a copy owned by the running sync), keeping within the limits. Returns the
 * event when it was kept.
 */
export function appendLog(history: IdentityHistory, log: Log, time: number, limits: HistoryLimits): RegistryEvent | undefined {
  history.lastBlock = log.blockNumber;
  if (history.unanswerable) return undefined;
  const event = decode(log, time);
  if (!event) {
    giveUp(history, 'unreadable');
    return undefined;
  }
  history.valueBytes += event.value ? (event.value.length - 2) / 2 : 0;
  if (history.events.length >= (limits.maxEventsPerIdentity ?? 1000) || history.valueBytes > (limits.maxValueBytesPerIdentity ?? 65_536)) {
    giveUp(history, 'too_large');
    return undefined;
  }
  history.events.push(event);
  if (event._eventName !== 'DIDOwnerChanged' && revokes(event)) history.revoked.add(eventKey(event));
  return event;
}

function giveUp(history: IdentityHistory, why: NonNullable<IdentityHistory['unanswerable']>): void {
  history.unanswerable = why;
  history.events = [];
  history.revoked = new Set();
}

/**
 * Events whose `validTo` lies ahead of the synced head's time, ordered by `validTo`: each sync settles those
 * the chain's clock has since passed, so queries judge validity by block without asking for block times.
 */
export class PendingExpiries {
  private readonly queue: RegistryEvent[] = [];

  get size(): number {
    return this.queue.length;
  }

  add(event: RegistryEvent): void {
    if (event.validTo === undefined || event.expiresAt !== undefined) return;
    const validTo = event.validTo;
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid].validTo! <= validTo) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, event);
  }

  /**
   * Sets `expiresAt` on every event whose `validTo` is before `headTime`: one past the last block at or
   * before `validTo` (`blockAt`, a search over block times). Equal times share one search.
   */
  async settle(headTime: number, blockAt: (unixSeconds: number) => Promise<number>): Promise<void> {
    let last: { validTo: bigint; block: number } | undefined;
    while (this.queue.length > 0 && this.queue[0].validTo! < BigInt(headTime)) {
      const event = this.queue[0];
      const validTo = event.validTo!;
      const block = last?.validTo === validTo ? last.block : (await blockAt(Number(validTo))) + 1;
      last = { validTo, block };
      event.expiresAt = Math.max(block, event.blockNumber);
      this.queue.shift();
    }
  }
}
