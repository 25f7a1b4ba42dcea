/**
 * Persistence of the issuer side of OID4VCI: credential offers (by pre-authorized code), c_nonces and access
 * tokens. The protocol layer holds no state of its own, so issuer replicas behind a load balancer share one
 * store (a database). Every method that "consumes" something MUST be atomic: it succeeds for exactly one
 * caller (in SQL: one conditional `UPDATE … WHERE <still usable>` and a check that it changed one row).
 *
 * Secrets are never stored in clear: `codeHash` and `tokenHash` are SHA-256 (base64url) of the 256-bit random
 * values handed to the wallet, `txCodeHash` is bound to the pre-authorized code (see secrets.ts). Nonces are
 * public challenges, not credentials, and are stored as they are.
 */

/** A credential offer (one pre-authorized code) as the issuer remembers it. */
export interface StoredOffer {
  /** SHA-256 of the pre-authorized code: the lookup key. */
  codeHash: string;
  /** The Credential Issuer Identifier that made the offer; a code is only good at that issuer's token endpoint. */
  credentialIssuer: string;
  /** The offered `credential_configuration_id` (one per offer). */
  configurationId: string;
  /** Hash of the transaction code (PIN), when the offer requires one. */
  txCodeHash?: string;
  /** Wrong transaction codes so far; the offer is dead at the issuer's limit. */
  txCodeFailures: number;
  createdAt: Date;
  expiresAt: Date;
  /** Set once, when the code was exchanged for an access token. */
  redeemedAt?: Date;
  /**
   * What the issuer needs later to issue (agency, claims …). Opaque to this layer; must survive a JSON round
   * trip (a database stores it as JSON).
   */
  context: unknown;
}

/** A c_nonce handed out by the nonce endpoint (OID4VCI 1.0 §7). */
export interface StoredNonce {
  nonce: string;
  credentialIssuer: string;
  expiresAt: Date;
}

/** An access token issued for a redeemed offer. */
export interface StoredAccessToken {
  /** SHA-256 of the token: the lookup key. */
  tokenHash: string;
  credentialIssuer: string;
  /** The offer it was issued for. */
  offerCodeHash: string;
  /** The only configuration the token may obtain. */
  configurationId: string;
  context: unknown;
  expiresAt: Date;
  /** Set once, when the token was spent on a credential. */
  usedAt?: Date;
}

/** What the OID4VCI issuer persists. Implementations: {@link MemoryOid4vciStore}, a TypeORM one in apps/issuer. */
export interface Oid4vciStore {
  /** Saves a new offer. */
  saveOffer(offer: StoredOffer): Promise<void>;
  /** The offer of a code hash, or undefined. */
  findOffer(codeHash: string): Promise<StoredOffer | undefined>;
  /**
   * Counts one wrong transaction code against the offer, atomically (`SET failures = failures + 1`), and
   * returns the new count. The caller treats the offer as dead once the count reaches its limit.
   */
  recordTxCodeFailure(codeHash: string): Promise<number>;
  /**
   * Redeems an offer, atomically and at most once: sets `redeemedAt = now` only if it is still unredeemed,
   * unexpired at `now`, and has fewer than `maxTxCodeFailures` failures; in the same transaction saves
   * `token`. Returns false (and saves nothing) if the offer was not redeemable.
   */
  redeemOffer(codeHash: string, now: Date, maxTxCodeFailures: number, token: StoredAccessToken): Promise<boolean>;
  /** Saves a new nonce. */
  saveNonce(nonce: StoredNonce): Promise<void>;
  /**
   * Consumes a nonce, atomically: deletes it and returns true only if it exists for `credentialIssuer` and is
   * unexpired at `now`. A nonce is good for one proof, once.
   */
  consumeNonce(nonce: string, credentialIssuer: string, now: Date): Promise<boolean>;
  /** The access token of a hash, or undefined (used or not: the caller checks). */
  findAccessToken(tokenHash: string): Promise<StoredAccessToken | undefined>;
  /** Spends a token, atomically: sets `usedAt = now` only if it is unused and unexpired at `now`. */
  consumeAccessToken(tokenHash: string, now: Date): Promise<boolean>;
  /**
   * Gives a spent token back (clears `usedAt`), so the wallet can retry when issuance failed on the issuer's
   * side after the token was spent (e.g. the chain was unreachable).
   */
  releaseAccessToken(tokenHash: string): Promise<void>;
  /** Deletes offers, nonces and tokens that expired before `before`; returns how many rows went. */
  deleteExpired(before: Date): Promise<number>;
}
