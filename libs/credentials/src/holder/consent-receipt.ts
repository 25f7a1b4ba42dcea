/**
 * Consent receipts: what the wallet keeps, inside its encrypted file, of every request it answered or refused,
 * so the citizen can see who looked at their data, when, why, and what left (issue 11 §3).
 */

/** A text in the wallet's languages. */
export type ReceiptText = { 'zh-CN': string; en: string };

/**
 * `presented`: sent, and the verifier acknowledged it; `declined`: the citizen said no; `refused`: the wallet
 * refused on the citizen's behalf (`reason` says why); `failed`: sent, but the verifier did not accept the post.
 */
export type ReceiptOutcome = 'presented' | 'declined' | 'refused' | 'failed';

export interface ConsentReceipt {
  id: string;
  /** ISO time of the decision. */
  at: string;
  verifier: {
    /** The verifier's did:ethr (as its signed request object names it; as its URI claims it for an unreadable request). */
    did?: string;
    /** Its registered name, from the registry on chain; absent for an unregistered verifier. */
    name?: ReceiptText;
  };
  /** The registered purpose. */
  purpose?: ReceiptText;
  /** Claims that left the wallet, per credential type (empty unless `presented` or `failed`). */
  disclosed: Array<{ type: string; claims: string[] }>;
  /** `sha256:<hex>` of the signed request object, when one was fetched. */
  requestHash?: string;
  outcome: ReceiptOutcome;
  /** A stable code: the refusal reason, or the verifier's error. */
  reason?: string;
}

/** A new receipt, stamped with an id and `now`. */
export function consentReceipt(fields: Omit<ConsentReceipt, 'id' | 'at'>, now: Date): ConsentReceipt {
  // WebCrypto's randomUUID: a global in Node and in browsers (the web wallet keeps receipts too).
  return { id: globalThis.crypto.randomUUID(), at: now.toISOString(), ...fields };
}

/** Receipts newest first, optionally only those about one verifier DID (case-insensitive). */
export function receiptHistory(receipts: readonly ConsentReceipt[], verifierDid?: string): ConsentReceipt[] {
  const did = verifierDid?.toLowerCase();
  return receipts.filter((r) => !did || r.verifier.did?.toLowerCase() === did).sort((a, b) => b.at.localeCompare(a.at));
}
