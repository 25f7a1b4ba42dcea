import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GovcredError, type EcPublicJwk } from '../../../../libs/credentials/src/index.js';
import { AuditService } from '../audit/audit.service.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { getCredentialType } from '../catalog/catalog.js';
import { DbWriter } from '../database/db-writer.service.js';
import type { CredentialRequest } from './dto/issue-credential.dto.js';
import { IssuedCredentialCopy } from './entities/issued-credential-copy.entity.js';
import { IssuedCredential } from './entities/issued-credential.entity.js';
import { IssuanceService, type PreparedCredential, type Signed } from './issuance.service.js';
import { StatusIndexAllocator } from './status-index-allocator.js';

/** An SD-JWT VC issued as copies: its record's id and the copies, one per holder key, in the keys' order. */
export interface IssuedCopies {
  credentialId: string;
  copies: string[];
}

/**
 * Unlinkable copies of one SD-JWT VC (OID4VCI batch issuance, issue 15 §4): the same claims, each copy with its
 * own holder key (`cnf.jwk`), fresh salts and decoys, its own random status index (its own reservation), time
 * claims rounded down to the UTC day, and no holder identifier. Two verifiers shown two copies find in common
 * only what they were shown and the issuer. One record for the credential (with the first copy's index) and a
 * row per copy: a status change of the credential reaches every copy's index (StatusService).
 */
@Injectable()
export class CopyIssuanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly agencies: AgenciesService,
    private readonly indexes: StatusIndexAllocator,
    private readonly issuance: IssuanceService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks the request (as {@link IssuanceService.prepare}), reserves one index per key, signs every copy
   * (outside any transaction), then records the credential, its copies and one `credential.issued` audit entry
   * naming every copy's index, in one group commit. Nothing is returned before that commit. A property title is
   * issued once, to the first key: its chain links the hash of one certificate.
   * @throws GovcredError as {@link IssuanceService.prepare}
   */
  async issue(agency: Agency, request: CredentialRequest, holderJwks: EcPublicJwk[]): Promise<IssuedCopies> {
    if (holderJwks.length === 0) throw new RangeError('at least one holder key is required');
    const prepared = this.issuance.prepare(agency, request, { format: 'dc+sd-jwt', holderJwk: { ...holderJwks[0] } });
    const keys = getCredentialType(prepared.type)?.titleChain ? holderJwks.slice(0, 1) : holderJwks;
    const { signer, indexes, signed } = await this.signCopies(agency, prepared, keys);
    const [first] = signed;
    // A failed commit keeps the indexes reserved: its outcome may be unknown (merely unused, never reused).
    await this.db.writeGrouped(async (m) => {
      await this.issuance.record(m, signer, prepared, first!, { copies: signed.length, copyStatusIndexes: indexes });
      await m.getRepository(IssuedCredentialCopy).insert(
        signed.map((s, copy) => ({ agencyId: signer.id, statusIndex: s.index, credentialId: first!.credentialId, copy, issuedAt: s.issuedAt })),
      );
    });
    return { credentialId: first!.credentialId, copies: signed.map((s) => s.jwt) };
  }

  /**
   * Whether `credentialId` can take more copies: an SD-JWT VC of this agency and `type`, active, not a title.
   * @throws GovcredError credential_not_found, invalid_request (another type or format, a title), credential_not_active
   */
  async checkRefill(agency: Agency, credentialId: string, type: string): Promise<void> {
    // Never a lookup without an id: TypeORM drops an undefined or null condition, and would find any record.
    if (typeof credentialId !== 'string') throw new GovcredError('credential_not_found', 'no such credential of this agency');
    const record = await this.dataSource.getRepository(IssuedCredential).findOneBy({ id: credentialId, agencyId: agency.id });
    if (!record) throw new GovcredError('credential_not_found', 'no such credential of this agency');
    if (record.format !== 'dc+sd-jwt' || record.type !== type || record.titleId !== null) {
      throw new GovcredError('invalid_request', `copiesOf must name an SD-JWT VC of type ${type} that is not a property title`);
    }
    if (record.state !== 'active') throw new GovcredError('credential_not_active', `only an active credential gets more copies (it is ${record.state})`);
  }

  /**
   * A refill: more copies of an issued SD-JWT VC, signed like the first ones, joining its record. The record is
   * re-checked active by a conditional UPDATE in the transaction that adds the copies: that row lock orders the
   * refill with status changes (StatusService takes the same row first), so a revocation either sees the new
   * copies or refuses them; never a copy left active beside a revoked credential.
   * @throws GovcredError as {@link checkRefill}, and as {@link IssuanceService.prepare}
   */
  async refill(agency: Agency, credentialId: string, request: CredentialRequest, holderJwks: EcPublicJwk[]): Promise<IssuedCopies> {
    await this.checkRefill(agency, credentialId, typeof request.type === 'string' ? request.type : '');
    const prepared = this.issuance.prepare(agency, request, { format: 'dc+sd-jwt', holderJwk: { ...holderJwks[0] } });
    const { signer, indexes, signed } = await this.signCopies(agency, prepared, holderJwks);
    try {
      await this.db.writeGrouped(async (m) => {
        const moved = await m
          .getRepository(IssuedCredential)
          .createQueryBuilder()
          .update()
          .set({ updatedAt: new Date().toISOString() })
          .where(`"id" = :credentialId AND "agencyId" = :agencyId AND "state" = 'active'`, { credentialId, agencyId: agency.id })
          .execute();
        if (!moved.affected) throw new GovcredError('credential_not_active', 'the credential is no longer active: no more copies');
        await this.addCopies(m, signer.id, credentialId, signed);
        await this.audit.append(m, {
          actor: `agency:${agency.id}`,
          agencyId: agency.id,
          action: 'credential.copies_added',
          data: { credentialId, type: prepared.type, copies: signed.length, copyStatusIndexes: indexes },
        });
      });
    } catch (error) {
      if (error instanceof GovcredError) await this.indexes.release(signer.id, indexes);
      throw error;
    }
    return { credentialId, copies: signed.map((s) => s.jwt) };
  }

  /** One reserved index and one signed copy per key (released again if signing fails). */
  private async signCopies(agency: Agency, prepared: PreparedCredential, keys: EcPublicJwk[]): Promise<{ signer: Agency; indexes: number[]; signed: Signed[] }> {
    const signer = await this.agencies.signingKey(agency.id);
    const indexes = await this.indexes.reserveMany(signer.id, keys.length);
    const signed: Signed[] = [];
    // A day-rounded time must not predate the agency's accreditation (made just before its record) nor the
    // activation of the key that signs: a verifier checks both at `iat`. On such a day every credential of
    // the agency carries that same time, so it still links nothing.
    const current = signer.previousKeyId === null || signer.keyId !== signer.previousKeyId;
    const since = [signer.createdAt, ...(current && signer.keyActiveFrom ? [signer.keyActiveFrom] : [])].map((t) => Date.parse(t));
    const notBefore = new Date(Math.max(...since));
    try {
      for (const [i, holderJwk] of keys.entries()) {
        signed.push(await this.issuance.sign(signer, { ...prepared, holderJwk }, indexes[i]!, undefined, { dayRounded: true, notBefore }));
      }
    } catch (error) {
      await this.indexes.release(signer.id, indexes);
      throw error;
    }
    return { signer, indexes, signed };
  }

  /** Copy rows after the credential's existing ones (copy 0 is the record's own index). */
  private async addCopies(m: EntityManager, agencyId: string, credentialId: string, signed: Signed[]): Promise<void> {
    const repo = m.getRepository(IssuedCredentialCopy);
    const [last] = await repo.find({ where: { credentialId, agencyId }, order: { copy: 'DESC' }, take: 1 });
    const next = (last?.copy ?? 0) + 1;
    await repo.insert(signed.map((s, i) => ({ agencyId, statusIndex: s.index, credentialId, copy: next + i, issuedAt: s.issuedAt })));
  }
}
