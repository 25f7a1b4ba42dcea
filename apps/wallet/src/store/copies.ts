import type { StoredCredential, StoredHolderKey } from './wallet-store.js';

/**
 * One copy of an SD-JWT VC issued in a batch (OID4VCI batch issuance): its own holder key, salts and status
 * index, so two verifiers shown two copies cannot tell they saw the same credential. Each is shown once.
 */
export interface StoredCopy {
  /** The SD-JWT VC with every disclosure. */
  jwt: string;
  holderKey: StoredHolderKey;
  /** ISO time the copy was last shown to a verifier; absent while unused. */
  usedAt?: string;
  /** Times shown: more than 1 only when the wallet was out of unused copies. */
  uses?: number;
}

/** The copy the next presentation shows, and whether it was shown before (all copies used: linkable). */
export interface NextCopy {
  copy: StoredCopy;
  reused: boolean;
}

/** Unused copies of a credential (a credential issued singly has none to count: undefined). */
export function unusedCopies(stored: StoredCredential): number | undefined {
  return stored.copies?.filter((c) => !c.usedAt).length;
}

/**
 * The copy to show next: an unused one if any is left; else, out of copies, the one shown least (then longest
 * ago), marked `reused` so the consent output warns that this verifier could link it to an earlier presentation.
 * A credential issued singly is its own one copy, shown each time without a warning (it never had siblings).
 */
export function nextCopy(stored: StoredCredential): NextCopy | undefined {
  const copies = stored.copies;
  if (!copies || copies.length === 0) return stored.holderKey ? { copy: { jwt: stored.jwt, holderKey: stored.holderKey }, reused: false } : undefined;
  const unused = copies.find((c) => !c.usedAt);
  if (unused) return { copy: unused, reused: false };
  const [least] = [...copies].sort((a, b) => (a.uses ?? 1) - (b.uses ?? 1) || (a.usedAt ?? '').localeCompare(b.usedAt ?? ''));
  return { copy: least!, reused: true };
}

/** Records that `copy` was shown (the caller saves the store). */
export function markUsed(copy: StoredCopy, at: Date): void {
  copy.usedAt = at.toISOString();
  copy.uses = (copy.uses ?? 0) + 1;
}
