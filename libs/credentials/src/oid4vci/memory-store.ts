import type { Oid4vciStore, StoredAccessToken, StoredNonce, StoredOffer } from './store.js';

/**
 * A complete in-memory {@link Oid4vciStore}: for tests, single-process tools and as the reference semantics
 * a database store must match. JavaScript runs each method body without interleaving up to its first
 * `await`, and these bodies have none, so every consume is atomic.
 */
export class MemoryOid4vciStore implements Oid4vciStore {
  private readonly offers = new Map<string, StoredOffer>();
  private readonly nonces = new Map<string, StoredNonce>();
  private readonly tokens = new Map<string, StoredAccessToken>();

  async saveOffer(offer: StoredOffer): Promise<void> {
    if (this.offers.has(offer.codeHash)) throw new Error('duplicate offer code');
    this.offers.set(offer.codeHash, clone(offer));
  }

  async findOffer(codeHash: string): Promise<StoredOffer | undefined> {
    const offer = this.offers.get(codeHash);
    return offer && clone(offer);
  }

  async recordTxCodeFailure(codeHash: string): Promise<number> {
    const offer = this.offers.get(codeHash);
    if (!offer) return 0;
    offer.txCodeFailures += 1;
    return offer.txCodeFailures;
  }

  async redeemOffer(codeHash: string, now: Date, maxTxCodeFailures: number, token: StoredAccessToken): Promise<boolean> {
    const offer = this.offers.get(codeHash);
    if (!offer || offer.redeemedAt || offer.expiresAt.getTime() <= now.getTime() || offer.txCodeFailures >= maxTxCodeFailures) return false;
    if (this.tokens.has(token.tokenHash)) throw new Error('duplicate access token');
    offer.redeemedAt = new Date(now);
    this.tokens.set(token.tokenHash, clone(token));
    return true;
  }

  async saveNonce(nonce: StoredNonce): Promise<void> {
    if (this.nonces.has(nonce.nonce)) throw new Error('duplicate nonce');
    this.nonces.set(nonce.nonce, clone(nonce));
  }

  async consumeNonce(nonce: string, credentialIssuer: string, now: Date): Promise<boolean> {
    const stored = this.nonces.get(nonce);
    if (!stored || stored.credentialIssuer !== credentialIssuer) return false;
    this.nonces.delete(nonce);
    return stored.expiresAt.getTime() > now.getTime();
  }

  async findAccessToken(tokenHash: string): Promise<StoredAccessToken | undefined> {
    const token = this.tokens.get(tokenHash);
    return token && clone(token);
  }

  async consumeAccessToken(tokenHash: string, now: Date): Promise<boolean> {
    const token = this.tokens.get(tokenHash);
    if (!token || token.usedAt || token.expiresAt.getTime() <= now.getTime()) return false;
    token.usedAt = new Date(now);
    return true;
  }

  async releaseAccessToken(tokenHash: string): Promise<void> {
    const token = this.tokens.get(tokenHash);
    if (token) delete token.usedAt;
  }

  async deleteExpired(before: Date): Promise<number> {
    let deleted = 0;
    for (const map of [this.offers, this.nonces, this.tokens] as Map<string, { expiresAt: Date }>[]) {
      for (const [key, value] of map) {
        if (value.expiresAt.getTime() < before.getTime()) {
          map.delete(key);
          deleted += 1;
        }
      }
    }
    return deleted;
  }
}

/** Copies in and out, so callers cannot change stored rows behind the store's back (as with a database). */
function clone<T>(value: T): T {
  return structuredClone(value);
}
