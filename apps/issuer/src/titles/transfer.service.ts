import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { CredentialRequest } from '../credentials/dto/issue-credential.dto.js';
import { IssuedCredential } from '../credentials/entities/issued-credential.entity.js';
import { IssuanceService, type Issued, type Signed } from '../credentials/issuance.service.js';
import { StatusIndexAllocator } from '../credentials/status-index-allocator.js';
import { DbWriter } from '../database/db-writer.service.js';
import { decide } from '../status/status-transitions.js';
import { StatusService } from '../status/status.service.js';

/** What a transfer did: the new owner's certificate, and the superseded one with its pending status change. */
export interface Transferred extends Issued {
  supersededCredentialId: string;
  statusChangeId: string;
}

/**
 * Property title transfers (不动产转移登记): the new owner's certificate is issued and the old one superseded in
 * ONE database transaction — the old record's state and successor, the new record, the status outbox row and
 * their audit entries — so a crash leaves neither or both. The anchoring worker then sets the old certificate's
 * superseded bit and records the link on chain in one transaction (StatusRegistry.supersede).
 */
@Injectable()
export class TransferService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly agencies: AgenciesService,
    private readonly issuance: IssuanceService,
    private readonly indexes: StatusIndexAllocator,
    private readonly status: StatusService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Transfers the title of `credentialId` to the subject of `request` (same type, new claims). `alongside` runs in
   * the same transaction (the Idempotency-Key's stored answer).
   * @throws GovcredError credential_not_found, not_a_title, invalid_request (another type), credential_superseded,
   *   credential_encumbered, credential_not_active, and whatever issuance refuses (claims, subject…)
   */
  transfer(agency: Agency, credentialId: string, request: CredentialRequest, alongside?: (m: EntityManager, t: Transferred) => Promise<void>): Promise<Transferred> {
    // Goes before a bulk job's next item in this process, as every single issuance (IssuanceService.foreground).
    return this.issuance.foreground.track(() => this.transferNow(agency, credentialId, request, alongside));
  }

  /**
   * The title certificate `credentialId` of `agency`, if it can be transferred now to a certificate of `type`
   * (a transfer offer is checked so before it is made; the transfer itself checks again, and its conditional
   * UPDATE decides).
   * @throws GovcredError credential_not_found, not_a_title, invalid_request (another type), credential_superseded,
   *   credential_encumbered, credential_not_active
   */
  async transferable(agency: Agency, credentialId: string, type: string): Promise<IssuedCredential & { titleId: string; credentialHash: string }> {
    // Never a lookup without an id: TypeORM drops an undefined or null condition, and would find any record.
    if (typeof credentialId !== 'string') throw new GovcredError('credential_not_found', 'no such credential of this agency');
    const old = await this.dataSource.getRepository(IssuedCredential).findOneBy({ id: credentialId, agencyId: agency.id });
    if (!old) throw new GovcredError('credential_not_found', 'no such credential of this agency');
    if (old.titleId === null || old.credentialHash === null) {
      throw new GovcredError('not_a_title', 'only a property title certificate (with its title record) can be transferred');
    }
    if (type !== old.type) throw new GovcredError('invalid_request', `a transfer issues the same type as the old certificate (${old.type})`);
    const early = decide(old.state, 'supersede', undefined);
    if (early.kind === 'refuse') throw early.error;
    return old as IssuedCredential & { titleId: string; credentialHash: string };
  }

  private async transferNow(agency: Agency, credentialId: string, request: CredentialRequest, alongside?: (m: EntityManager, t: Transferred) => Promise<void>): Promise<Transferred> {
    const prepared = this.issuance.prepare(agency, request);
    // Refused before anything is signed; the conditional UPDATE below decides for good (a concurrent transfer).
    const old = await this.transferable(agency, credentialId, prepared.type);

    const signer = await this.agencies.signingKey(agency.id);
    const index = await this.indexes.reserve(signer.id);
    let signed: Signed;
    try {
      signed = await this.issuance.sign(signer, prepared, index, { titleId: old.titleId, predecessorId: old.id, predecessorHash: old.credentialHash });
    } catch (error) {
      await this.indexes.release(signer.id, [index]);
      throw error;
    }
    try {
      return await this.db.write(async (m) => {
        const superseded = await this.status.apply(m, signer, old.id, 'supersede', { successorId: signed.credentialId });
        // Not created: the old certificate was superseded meanwhile (by another transfer): this one must not stand.
        if (!superseded.created) throw new GovcredError('credential_superseded', 'the title was transferred meanwhile');
        await this.issuance.record(m, signer, prepared, signed);
        await this.audit.append(m, {
          actor: `agency:${agency.id}`,
          agencyId: agency.id,
          action: 'credential.transferred',
          data: { titleId: old.titleId, from: old.id, to: signed.credentialId, statusChangeId: superseded.change.id },
        });
        const transferred: Transferred = {
          jwt: signed.jwt,
          format: prepared.format,
          credentialId: signed.credentialId,
          certificateNumber: signed.certificateNumber,
          supersededCredentialId: old.id,
          statusChangeId: superseded.change.id,
        };
        await alongside?.(m, transferred);
        return transferred;
      });
    } catch (error) {
      // Refused inside the transaction: it rolled back, so the index was never used. Any other failure may have
      // committed (its outcome unknown): the index stays reserved, merely unused.
      if (error instanceof GovcredError) await this.indexes.release(signer.id, [index]);
      throw error;
    }
  }
}
