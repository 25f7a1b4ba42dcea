import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import type { Oid4vciStore, StoredAccessToken, StoredNonce, StoredOffer } from '../../../../libs/credentials/src/index.js';
import { DbWriter } from '../database/db-writer.service.js';
import { Oid4vciAccessTokenRow, Oid4vciNonceRow, Oid4vciOfferRow } from './entities/oid4vci.entities.js';

const iso = (d: Date) => d.toISOString();

/**
 * The OID4VCI store on the issuer's database (SQLite or PostgreSQL). Every consuming method is one conditional
 * UPDATE/DELETE whose affected-row count decides, so two replicas can never both redeem a code, spend a token
 * or use a nonce. Times are ISO-8601 UTC strings, which compare correctly as text in both databases.
 *
 * Personal data: an offer's claims sit in `context` until it is redeemed (then wiped from the offer) and in the
 * access token row until {@link deleteExpired} removes it, minutes after the token's expiry.
 */
@Injectable()
export class Oid4vciTypeormStore implements Oid4vciStore {
  constructor(private readonly db: DbWriter) {}

  async saveOffer(offer: StoredOffer): Promise<void> {
    await this.db.write((m) =>
      m.insert(Oid4vciOfferRow, {
        codeHash: offer.codeHash,
        credentialIssuer: offer.credentialIssuer,
        configurationId: offer.configurationId,
        txCodeHash: offer.txCodeHash ?? null,
        txCodeFailures: offer.txCodeFailures,
        createdAt: iso(offer.createdAt),
        expiresAt: iso(offer.expiresAt),
        redeemedAt: offer.redeemedAt ? iso(offer.redeemedAt) : null,
        context: JSON.stringify(offer.context ?? null),
      }),
    );
  }

  async findOffer(codeHash: string): Promise<StoredOffer | undefined> {
    const row = await this.db.dataSource.getRepository(Oid4vciOfferRow).findOneBy({ codeHash });
    if (!row) return undefined;
    return {
      codeHash: row.codeHash,
      credentialIssuer: row.credentialIssuer,
      configurationId: row.configurationId,
      ...(row.txCodeHash ? { txCodeHash: row.txCodeHash } : {}),
      txCodeFailures: row.txCodeFailures,
      createdAt: new Date(row.createdAt),
      expiresAt: new Date(row.expiresAt),
      ...(row.redeemedAt ? { redeemedAt: new Date(row.redeemedAt) } : {}),
      context: JSON.parse(row.context),
    };
  }

  async recordTxCodeFailure(codeHash: string): Promise<number> {
    return this.db.write(async (m) => {
      await m
        .createQueryBuilder()
        .update(Oid4vciOfferRow)
        .set({ txCodeFailures: () => '"txCodeFailures" + 1' })
        .where('"codeHash" = :codeHash', { codeHash })
        .execute();
      return (await m.findOneBy(Oid4vciOfferRow, { codeHash }))?.txCodeFailures ?? Number.MAX_SAFE_INTEGER;
    });
  }

  async redeemOffer(codeHash: string, now: Date, maxTxCodeFailures: number, token: StoredAccessToken): Promise<boolean> {
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(Oid4vciOfferRow)
        .set({ redeemedAt: iso(now), context: 'null' })
        .where('"codeHash" = :codeHash AND "redeemedAt" IS NULL AND "expiresAt" > :now AND "txCodeFailures" < :max', {
          codeHash,
          now: iso(now),
          max: maxTxCodeFailures,
        })
        .execute();
      if (result.affected !== 1) return false;
      await m.insert(Oid4vciAccessTokenRow, {
        tokenHash: token.tokenHash,
        credentialIssuer: token.credentialIssuer,
        offerCodeHash: token.offerCodeHash,
        configurationId: token.configurationId,
        context: JSON.stringify(token.context ?? null),
        expiresAt: iso(token.expiresAt),
        usedAt: token.usedAt ? iso(token.usedAt) : null,
      });
      return true;
    });
  }

  async saveNonce(nonce: StoredNonce): Promise<void> {
    await this.db.write((m) =>
      m.insert(Oid4vciNonceRow, { nonce: nonce.nonce, credentialIssuer: nonce.credentialIssuer, expiresAt: iso(nonce.expiresAt) }),
    );
  }

  async consumeNonce(nonce: string, credentialIssuer: string, now: Date): Promise<boolean> {
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .delete()
        .from(Oid4vciNonceRow)
        .where('"nonce" = :nonce AND "credentialIssuer" = :credentialIssuer AND "expiresAt" > :now', { nonce, credentialIssuer, now: iso(now) })
        .execute();
      return result.affected === 1;
    });
  }

  async findAccessToken(tokenHash: string): Promise<StoredAccessToken | undefined> {
    const row = await this.db.dataSource.getRepository(Oid4vciAccessTokenRow).findOneBy({ tokenHash });
    if (!row) return undefined;
    return {
      tokenHash: row.tokenHash,
      credentialIssuer: row.credentialIssuer,
      offerCodeHash: row.offerCodeHash,
      configurationId: row.configurationId,
      context: JSON.parse(row.context),
      expiresAt: new Date(row.expiresAt),
      ...(row.usedAt ? { usedAt: new Date(row.usedAt) } : {}),
    };
  }

  async consumeAccessToken(tokenHash: string, now: Date): Promise<boolean> {
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(Oid4vciAccessTokenRow)
        .set({ usedAt: iso(now) })
        .where('"tokenHash" = :tokenHash AND "usedAt" IS NULL AND "expiresAt" > :now', { tokenHash, now: iso(now) })
        .execute();
      return result.affected === 1;
    });
  }

  async releaseAccessToken(tokenHash: string): Promise<void> {
    await this.db.write((m) => m.update(Oid4vciAccessTokenRow, { tokenHash }, { usedAt: null }));
  }

  async deleteExpired(before: Date): Promise<number> {
    return this.db.write(async (m) => {
      const when = iso(before);
      // One after another: the transaction is one connection, and node-postgres deprecates (pg 9 refuses) a query
      // sent on a client while another runs.
      let deleted = 0;
      for (const row of [Oid4vciOfferRow, Oid4vciNonceRow, Oid4vciAccessTokenRow]) deleted += (await m.delete(row, { expiresAt: LessThan(when) })).affected ?? 0;
      return deleted;
    });
  }
}
