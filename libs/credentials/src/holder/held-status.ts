import { ethrDidAddress } from '../did/resolver.js';
import { parseStatusEntries } from '../status/status-entry.js';
import type { EntryStatus } from '../status/status-mirror.js';

/**
 * What a wallet shows as a held credential's standing: its status entries read from a mirror of whole lists
 * (never one index from a node, which would learn which credential the citizen looked at), then its validity
 * period. The CLI and the web wallet share it. Browser-safe.
 */

/** Status as shown: a valid credential outside its validity period is expired or not yet valid. */
export type HeldStatus = EntryStatus | 'expired' | 'not_yet_valid';

/** The part of a StatusMirror this reads. */
export interface StatusLookup {
  lookup(identity: string, listId: bigint | number, index: number): EntryStatus;
}

/**
 * Status of a credential's entries (a JWT VC's `credentialStatus`, an SD-JWT VC's `status` entries) issued by
 * `issuerDid` on chain `chainId`: the worst of its entries (revoked or superseded before suspended before
 * encumbered); `unknown` without a mirror, with unreadable entries or an issuer that is no did:ethr of the chain.
 */
export function entriesStatus(entries: unknown, issuerDid: string, chainId: number, mirror: StatusLookup | undefined): EntryStatus {
  const parsed = parseStatusEntries(entries);
  const owner = ethrDidAddress(issuerDid, chainId);
  if (!mirror || 'error' in parsed || !owner) return 'unknown';
  let result: EntryStatus = 'valid';
  for (const entry of parsed.entries) {
    const status = mirror.lookup(owner, entry.listId, entry.index);
    if (status === 'revoked' || status === 'superseded') return status;
    if (status === 'unknown') result = 'unknown';
    else if (status === 'suspended' && (result === 'valid' || result === 'encumbered')) result = 'suspended';
    else if (status === 'encumbered' && result === 'valid') result = 'encumbered';
  }
  return result;
}

/** Status, then validity (ISO times): a valid credential outside its validity period shows as expired or not yet valid. */
export function withValidity(status: EntryStatus, validFrom: string | undefined, validUntil: string | undefined, now: Date): HeldStatus {
  if (status === 'valid' && validUntil && new Date(validUntil) < now) return 'expired';
  if (status === 'valid' && validFrom && new Date(validFrom) > now) return 'not_yet_valid';
  return status;
}
