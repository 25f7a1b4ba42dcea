import { Injectable } from '@nestjs/common';
import type { EcPublicJwk } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { getCredentialType } from '../catalog/catalog.js';
import { DbWriter } from '../database/db-writer.service.js';
import type { CredentialRequest } from './dto/issue-credential.dto.js';
import { IssuedCredentialCopy } from './entities/issued-credential-copy.entity.js';
import { IssuanceService, type Signed } from './issuance.service.js';
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
    private readonly db: DbWriter,
    private readonly agencies: AgenciesService,
    private readonly indexes: StatusIndexAllocator,
    private readonly issuance: IssuanceService,
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
    const signer = await this.agencies.signingKey(agency.id);
    const indexes = await this.indexes.reserveMany(signer.id, keys.length);
    const signed: Signed[] = [];
    try {
      for (const [i, holderJwk] of keys.entries()) {
        signed.push(await this.issuance.sign(signer, { ...prepared, holderJwk }, indexes[i], undefined, { dayRounded: true }));
      }
    } catch (error) {
      await this.indexes.release(signer.id, indexes);
      throw error;
    }
    const [first] = signed;
    // A failed commit keeps the indexes reserved: its outcome may be unknown (merely unused, never reused).
    await this.db.writeGrouped(async (m) => {
      await this.issuance.record(m, signer, prepared, first, { copies: signed.length, copyStatusIndexes: indexes });
      await m.getRepository(IssuedCredentialCopy).insert(
        signed.map((s, copy) => ({ agencyId: signer.id, statusIndex: s.index, credentialId: first.credentialId, copy, issuedAt: s.issuedAt })),
      );
    });
    return { credentialId: first.credentialId, copies: signed.map((s) => s.jwt) };
  }
}
