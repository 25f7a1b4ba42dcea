import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual, Like, MoreThanOrEqual } from 'typeorm';
import { GovcredError, auditEntryHash, getCredentialType, readAuditAnchorEvents, verifyEs256kByAddress, verifyMerklePath } from '../../../../libs/credentials/src/index.js';
import { AgencyKey } from '../agencies/entities/agency-key.entity.js';
import { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { AuditEntry } from '../audit/entities/audit-entry.entity.js';
import { AuditReceiptsService } from '../audit-anchor/audit-receipts.service.js';
import { AuditAnchor } from '../audit-anchor/entities/audit-anchor.entity.js';
import { ChainService } from '../chain/chain.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { IssuedCredential } from '../credentials/entities/issued-credential.entity.js';
import { credentialDigest } from '../credentials/issuance.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import type { CreatedOffer } from '../oid4vci/dto/create-offer.dto.js';
import { Oid4vciService } from '../oid4vci/oid4vci.service.js';
import { StatusService } from '../status/status.service.js';
import { readPresented } from './presented-credential.js';

/** The answer to a re-issuance: the offer for the new credential (with its PIN) and the old credential's id. */
export interface Reissued extends CreatedOffer {
  revokedCredentialId: string;
}

/** The actor of everything re-issuance does (status change, offer, audit). */
const ACTOR = 'reissue';

/**
 * Re-issuance after a key compromise (issue 15 §2): a holder presents a credential of a signing key revoked as
 * compromised and gets an OID4VCI offer for the same claims under the agency's current key — only if the issuer
 * logged that exact credential (its digest) in an audit entry anchored on chain BEFORE the revocation. A thief
 * with the stolen key can sign anything, but cannot put it in a log anchored before the key was revoked. The old
 * credential is revoked in the same transaction that marks it re-issued (single use).
 */
@Injectable()
export class ReissueService {
  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly chain: ChainService,
    private readonly audit: AuditService,
    private readonly receipts: AuditReceiptsService,
    private readonly status: StatusService,
    private readonly oid4vci: Oid4vciService,
  ) {}

  async reissue(input: unknown): Promise<Reissued> {
    const presented = readPresented(input);
    const agency = await this.dataSource.getRepository(Agency).findOneBy({ did: presented.issuer });
    const key = agency ? await this.dataSource.getRepository(AgencyKey).findOneBy({ agencyId: agency.id, role: 'signing', kid: presented.kid }) : null;
    if (!agency || !key) throw new GovcredError('reissue_credential_invalid', 'the credential names no signing key of an agency of this issuer');
    // (a) Only a compromise: a routinely rotated key's credentials still verify and need nothing.
    if (key.state !== 'revoked' || key.reason !== 'compromised') {
      throw new GovcredError('reissue_not_compromised_key', 'the key that signed this credential was not revoked as compromised: the credential needs no re-issuance');
    }
    // (c) Signed by that key (cheap, before the log is searched): a forgery by anyone else stops here.
    if (!verifyEs256kByAddress(key.address, presented.signingInput, presented.signature)) {
      throw new GovcredError('reissue_signature_invalid', 'the signature does not verify with the key the credential names');
    }
    // (b) Logged, and anchored before the revocation.
    const digest = credentialDigest(presented.text);
    const record = await this.dataSource.getRepository(IssuedCredential).findOneBy({ agencyId: agency.id, credentialDigest: digest });
    if (!record) throw new GovcredError('reissue_not_logged', 'this issuer never issued this credential (its digest is in no record)');
    const anchorBlock = await this.anchoredIssuance(agency, record, digest);
    const revokedBlock = key.revokedBlock;
    if (revokedBlock === null || anchorBlock >= revokedBlock) {
      throw new GovcredError('reissue_logged_too_late', 'the issuance was anchored on chain only in or after the block that revoked its key: it cannot be told from a forgery');
    }
    if (record.titleId !== null) throw new GovcredError('reissue_credential_invalid', 'property title certificates continue their chain by transfer, not re-issuance');
    // (d) Single use: refused early when already done; the conditional UPDATE below decides races.
    refuseUsed(record);
    // Derived claims (`age_over_18`, …) are the issuer's to compute again at issuance, not input.
    const derived = new Set((getCredentialType(record.type)?.derivations ?? []).flatMap((d) => d.claims));
    const claims = Object.fromEntries(Object.entries(presented.claims).filter(([name]) => !derived.has(name)));
    // The offer first: if its claims no longer pass the catalogue, nothing is revoked. Its code and PIN are only
    // ever returned below, so an offer made for a request that then loses the race is never redeemable.
    const offer = await this.oid4vci.createOffer(
      agency,
      { type: record.type, format: record.format, claims, txCode: true, ...(presented.expirationDate ? { expirationDate: presented.expirationDate } : {}) },
      ACTOR,
    );
    await this.db.write(async (m) => {
      const now = new Date().toISOString();
      const claimed = await m
        .getRepository(IssuedCredential)
        .createQueryBuilder()
        .update()
        .set({ reissuedAt: now })
        .where(`"id" = :id AND "reissuedAt" IS NULL AND "state" = 'active'`, { id: record.id })
        .execute();
      if (!claimed.affected) {
        refuseUsed(await m.getRepository(IssuedCredential).findOneByOrFail({ id: record.id }));
        throw new GovcredError('conflict', 'the credential changed meanwhile: retry');
      }
      await this.status.apply(m, agency, record.id, 'revoke', {}, { actor: ACTOR, reason: 'signing key compromised: re-issued' });
      await this.audit.append(m, {
        actor: ACTOR,
        agencyId: agency.id,
        action: 'credential.reissued',
        data: { credentialId: record.id, digest, keyId: presented.kid, anchorBlock, revokedBlock, type: record.type, offerExpiresAt: offer.expiresAt },
      });
    });
    return { ...offer, revokedCredentialId: record.id };
  }

  /**
   * The block of the anchor that covers the record's `credential.issued` entry, checked as a third party would:
   * the entry names this digest and hashes to its stored hash, its Merkle path leads to the anchor's root, and that
   * root is in the AuditAnchor contract's `Anchored` event of that block.
   * @throws reissue_not_logged when any of it is missing.
   */
  private async anchoredIssuance(agency: Agency, record: IssuedCredential, digest: string): Promise<number> {
    const notLogged = (why: string) => new GovcredError('reissue_not_logged', `the issuance of this credential is not in the anchored audit log: ${why}`);
    // The id is a urn:uuid from the record (never from the request), so it is safe in a LIKE pattern.
    const entries = await this.dataSource.getRepository(AuditEntry).find({
      where: { agencyId: agency.id, action: 'credential.issued', data: Like(`%"credentialId":"${record.id}"%`) },
      order: { seq: 'ASC' },
      take: 2,
    });
    const entry = entries.find((e) => {
      const data = JSON.parse(e.data) as { credentialId?: string; digest?: string };
      return data.credentialId === record.id && data.digest === digest;
    });
    if (!entry) throw notLogged('no issuance entry names its digest');
    if (auditEntryHash({ ...entry, seq: Number(entry.seq), data: JSON.parse(entry.data) as unknown }) !== entry.hash) throw notLogged('its entry does not match its hash');
    const seq = Number(entry.seq);
    const anchor = await this.dataSource.getRepository(AuditAnchor).findOneBy({ firstSeq: LessThanOrEqual(seq), lastSeq: MoreThanOrEqual(seq) });
    if (!anchor || anchor.state !== 'anchored' || anchor.blockNumber === null || !this.config.AUDIT_ANCHOR) throw notLogged('its entry is not anchored on chain');
    const receipt = await this.receipts.receipt(seq);
    if (!verifyMerklePath(receipt.entryHash, seq - anchor.firstSeq, anchor.count, receipt.path, anchor.root)) throw notLogged('its receipt does not lead to the anchor');
    const events = await this.chain.bounded(
      'readAuditAnchorEvents',
      readAuditAnchorEvents(this.chain.provider, this.config.AUDIT_ANCHOR, receipt.anchor.stream, anchor.blockNumber, anchor.blockNumber),
    );
    const onChain = events.find((e) => e.index === anchor.index);
    if (!onChain || onChain.root.toLowerCase() !== anchor.root.toLowerCase() || onChain.firstSeq !== anchor.firstSeq || onChain.count !== anchor.count) {
      throw notLogged('its anchor is not on chain as recorded');
    }
    return onChain.blockNumber;
  }
}

/**
 * Single use, and only for a credential in force: a suspended one would come back active under the new key, a
 * revoked or superseded one must stay so.
 */
function refuseUsed(record: IssuedCredential): void {
  if (record.reissuedAt !== null) throw new GovcredError('reissue_already_done', 'this credential was re-issued already');
  if (record.state !== 'active') throw new GovcredError('reissue_not_active', `this credential is ${record.state}: only a credential in force is re-issued`);
}
