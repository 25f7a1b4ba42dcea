import { checksummedAddress } from '../chain/address.js';
import { PURPOSE_NAMES, StatusPurpose, type StatusPurposeName } from './status-codec.js';

/**
 * govcred's `credentialStatus` entry: a position in a StatusRegistry list on an EVM chain.
 * Shaped like W3C Bitstring Status List's `BitstringStatusListEntry` (statusPurpose, statusListIndex,
 * statusListCredential → here the on-chain list), https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry.
 * A credential carries two entries with the same index: one in the issuer's revocation list, one in its
 * suspension list; a property title carries two more, in the issuer's superseded and encumbered lists. The list
 * owner is always the credential's issuer.
 */
export const STATUS_ENTRY_TYPE = 'GovcredStatusListEntry';

export interface StatusListEntry {
  /** `eip155:<chainId>:<registry>/<owner>/<listId>#<index>`. */
  id: string;
  type: typeof STATUS_ENTRY_TYPE;
  statusPurpose: StatusPurposeName;
  /** EIP-155 chain id. */
  chainId: number;
  /** StatusRegistry address. */
  statusRegistry: string;
  /** The list's number (decimal string: uint64). */
  statusListId: string;
  /** Entry in the list (decimal string, as in Bitstring Status List). */
  statusListIndex: string;
}

/** Where a credential's status lives: what the issuer allocates at issuance. */
export interface StatusAllocation {
  chainId: number;
  statusRegistry: string;
  /** Issuer identity address: owner of the lists. */
  owner: string;
  revocationListId: bigint | number;
  suspensionListId: bigint | number;
  /** Property titles only (with {@link encumberedListId}): the list a transfer sets. */
  supersededListId?: bigint | number;
  /** Property titles only: the list a mortgage registration sets. */
  encumberedListId?: bigint | number;
  index: number;
}

function entryId(chainId: number, registry: string, owner: string, listId: bigint | number, index: number): string {
  return `eip155:${chainId}:${checksummedAddress(registry)}/${checksummedAddress(owner)}/${listId}#${index}`;
}

/**
 * The `credentialStatus` entries of an allocation: revocation, suspension, then (property titles) superseded
 * and encumbered.
 */
export function statusEntries(a: StatusAllocation): StatusListEntry[] {
  const lists: Array<[StatusPurpose, bigint | number]> = [
    [StatusPurpose.Revocation, a.revocationListId],
    [StatusPurpose.Suspension, a.suspensionListId],
  ];
  if (a.supersededListId !== undefined && a.encumberedListId !== undefined) {
    lists.push([StatusPurpose.Superseded, a.supersededListId], [StatusPurpose.Encumbered, a.encumberedListId]);
  }
  return lists.map(([purpose, listId]) => ({
    id: entryId(a.chainId, a.statusRegistry, a.owner, listId, a.index),
    type: STATUS_ENTRY_TYPE,
    statusPurpose: PURPOSE_NAMES[purpose],
    chainId: a.chainId,
    statusRegistry: checksummedAddress(a.statusRegistry),
    statusListId: String(listId),
    statusListIndex: String(a.index),
  }));
}

/** A parsed, checked status entry. */
export interface ParsedStatusEntry {
  purpose: StatusPurposeName;
  chainId: number;
  statusRegistry: string;
  listId: bigint;
  index: number;
}

/**
 * Reads `credentialStatus` (one entry or an array) from untrusted input; never throws.
 * @returns the entries, or a reason why they cannot be used.
 */
export function parseStatusEntries(credentialStatus: unknown): { entries: ParsedStatusEntry[] } | { error: string } {
  if (credentialStatus === undefined || credentialStatus === null) return { error: 'credentialStatus is missing' };
  const list = Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
  if (list.length === 0 || list.length > 8) return { error: 'credentialStatus must hold 1 to 8 entries' };
  const entries: ParsedStatusEntry[] = [];
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null) return { error: 'credentialStatus entry is not an object' };
    const e = raw as Record<string, unknown>;
    if (e.type !== STATUS_ENTRY_TYPE) return { error: `unsupported credentialStatus type ${typeof e.type === 'string' ? JSON.stringify(e.type.slice(0, 60)) : typeof e.type}` };
    if (!(Object.values(PURPOSE_NAMES) as unknown[]).includes(e.statusPurpose)) return { error: 'unknown statusPurpose' };
    if (!Number.isSafeInteger(e.chainId)) return { error: 'chainId is not an integer' };
    if (typeof e.statusRegistry !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(e.statusRegistry)) {
      return { error: 'statusRegistry is not an address' };
    }
    let statusRegistry: string;
    try {
      statusRegistry = checksummedAddress(e.statusRegistry);
    } catch {
      return { error: 'statusRegistry has a wrong EIP-55 checksum' };
    }
    if (typeof e.statusListId !== 'string' || !/^[0-9]{1,20}$/.test(e.statusListId) || BigInt(e.statusListId) >= 2n ** 64n) {
      return { error: 'statusListId is not a uint64' };
    }
    if (typeof e.statusListIndex !== 'string' || !/^[0-9]{1,8}$/.test(e.statusListIndex)) {
      return { error: 'statusListIndex is not an index' };
    }
    entries.push({
      purpose: e.statusPurpose as StatusPurposeName,
      chainId: e.chainId as number,
      statusRegistry,
      listId: BigInt(e.statusListId),
      index: Number(e.statusListIndex),
    });
  }
  return { entries };
}
