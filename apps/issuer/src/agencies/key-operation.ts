import { SIGNING_KEY_ATTRIBUTE, STATUS_WRITER_DELEGATE, type Erc1056Call } from '../../../../libs/credentials/src/index.js';
import type { AgencyKey } from './entities/agency-key.entity.js';

/**
 * Why a key operation runs: `rotation` is routine (the old key stays listed; what it signed keeps verifying);
 * `compromised` revokes the key on chain, so every credential it signed fails everywhere (issue 15 §2).
 */
export type KeyOperationReason = 'rotation' | 'compromised';

/** One ERC-1056 call of an operation, with the hash its owner signs (nonce = the owner's, in order). */
export interface PendingCall {
  call: Erc1056Call;
  nonce: string;
  hash: string;
}

/** A key operation waiting for (or done with) the owner's signatures: what the admin API answers. */
export interface KeyOperation {
  id: string;
  agencyId: string;
  state: 'awaiting_signatures' | 'done';
  reason: KeyOperationReason;
  /** The identity's owner: each hash must be signed (raw secp256k1, no prefix) by this address. */
  ownerAddress: string;
  calls: Array<{ method: Erc1056Call['method']; description: string; hash: string }>;
  /** Once done: the new signing key's DID URL and when it signs from. */
  signingKeyId?: string;
  keyActiveFrom?: string;
  writerAddress?: string;
  /** A compromise: the DID URL of the signing key it revoked, or the address of the writer it revoked. */
  revokedSigningKeyId?: string;
  revokedWriterAddress?: string;
  txHashes?: string[];
}

/** A call with its place among the operation's calls (signatures come in this order). */
export interface StoredCall extends PendingCall {
  order: number;
}

/** What `pendingCall` of a new key's row holds: its operation, and the calls that bring it (and revoke the key it replaces). */
export interface StoredRow {
  operationId: string;
  reason: KeyOperationReason;
  /** `agency_key.id` of the compromised key this one replaces: revoked in the same operation. */
  replaces?: string;
  calls?: StoredCall[];
}

/** Reads a row's `pendingCall`, including the one-call form written before compromises existed. */
export function parseStoredRow(row: AgencyKey): StoredRow {
  const raw = JSON.parse(row.pendingCall!, bigintRevive) as StoredRow & Partial<StoredCall>;
  if (raw.call) return { operationId: raw.operationId, reason: 'rotation', calls: [{ call: raw.call, nonce: raw.nonce!, hash: raw.hash!, order: raw.order! }] };
  return { ...raw, reason: raw.reason ?? 'rotation' };
}

export function storeRow(stored: StoredRow): string {
  return JSON.stringify(stored, bigintJson);
}

/** The owner's call that revokes a compromised key: its attribute (validTo 0) or its writer delegation (validTo now). */
export function revokeCallFor(row: AgencyKey): Erc1056Call {
  return row.role === 'signing'
    ? { method: 'revokeAttribute', name: SIGNING_KEY_ATTRIBUTE, value: `0x${row.publicKeyHex}` }
    : { method: 'revokeDelegate', delegateType: STATUS_WRITER_DELEGATE, delegate: row.address };
}

export function describeCall(call: Erc1056Call): string {
  switch (call.method) {
    case 'setAttribute':
      return `setAttribute(${call.name}, ${call.value}, ${call.validity} s): the next signing key`;
    case 'addDelegate':
      return `addDelegate(${call.delegateType}, ${call.delegate}, ${call.validity} s): the next status writer`;
    case 'revokeAttribute':
      return `revokeAttribute(${call.name}, ${call.value}): the compromised signing key`;
    case 'revokeDelegate':
      return `revokeDelegate(${call.delegateType}, ${call.delegate}): the compromised status writer`;
    case 'changeOwner':
      return `changeOwner(${call.newOwner})`;
  }
}

const bigintJson = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);
const bigintRevive = (_key: string, value: unknown) => (typeof value === 'string' && /^[0-9]+n$/.test(value) ? BigInt(value.slice(0, -1)) : value);
