import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { GovcredError, buildCredential, statusEntries, subjectDidProblem } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { getCredentialType, schemaReference, validateClaims } from '../catalog/catalog.js';
import { ChainService } from '../chain/chain.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { VeramoService } from '../veramo/veramo.service.js';
import type { CredentialRequest } from './dto/issue-credential.dto.js';
import { IssuedCredential } from './entities/issued-credential.entity.js';
import { StatusIndexAllocator } from './status-index-allocator.js';

/** A request that passed every check: ready to sign. */
export interface PreparedCredential {
  type: string;
  subjectDid: string;
  claims: Record<string, unknown>;
  expirationDate?: Date;
}

/** A signed credential not yet recorded. */
interface Signed {
  jwt: string;
  credentialId: string;
  index: number;
  issuedAt: string;
  expiresAt: string | null;
}
const DID_PATTERN = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

/** Turns requests into signed JWT VCs: checks, a random status index, the one credential format, Veramo signing. */
@Injectable()
export class IssuanceService {
  constructor(
    private readonly db: DbWriter,
    private readonly veramo: VeramoService,
    private readonly chain: ChainService,
    private readonly agencies: AgenciesService,
    private readonly audit: AuditService,
    private readonly indexes: StatusIndexAllocator,
  ) {}

  /**
   * Checks a request for `agency`, without side effects.
   * @param options.subjectPending The subject is a stand-in until a wallet proves its DID (an OID4VCI offer):
   *   only its shape is checked.
   * @throws GovcredError unknown_credential_type, credential_type_not_allowed, issuer_mismatch, invalid_subject,
   *   subject_did_invalid, invalid_claims
   */
  prepare(agency: Agency, request: CredentialRequest, options: { subjectPending?: boolean } = {}): PreparedCredential {
    const types = (Array.isArray(request.type) ? request.type : [request.type]).filter((t) => t !== 'VerifiableCredential');
    if (types.length !== 1) throw new GovcredError('unknown_credential_type', 'type must name exactly one credential type besides VerifiableCredential');
    const type = types[0];
    const definition = getCredentialType(type);
    if (!definition) throw new GovcredError('unknown_credential_type', `unknown credential type ${JSON.stringify(type)}`);
    if (!agency.credentialTypes.includes(type)) {
      throw new GovcredError('credential_type_not_allowed', `this agency may not issue ${type}`, { allowed: agency.credentialTypes });
    }
    if (request.issuer !== undefined) {
      const issuer = typeof request.issuer === 'string' ? request.issuer : request.issuer.id;
      if (issuer !== agency.did) throw new GovcredError('issuer_mismatch', 'issuer must be the calling agency DID (or be left out)');
    }
    const { id: subjectDid, ...claims } = request.credentialSubject;
    if (typeof subjectDid !== 'string' || subjectDid.length > 500 || !DID_PATTERN.test(subjectDid)) {
      throw new GovcredError('invalid_subject', 'credentialSubject.id must be the holder DID');
    }
    // A credential to a DID that can never sign a presentation a verifier accepts is useless to its holder
    // and would be refused by every verifier: refuse it here, where the mistake can still be corrected.
    const subjectProblem = options.subjectPending ? undefined : subjectDidProblem(subjectDid, this.chain.chain.chainId);
    if (subjectProblem) throw new GovcredError('subject_did_invalid', `credentialSubject.id: ${subjectProblem}`);
    const result = validateClaims(type, claims);
    if (!result.ok) throw new GovcredError('invalid_claims', `the claims do not fit ${type}`, { errors: result.errors });
    let expirationDate: Date | undefined;
    if (request.expirationDate !== undefined) {
      expirationDate = new Date(request.expirationDate);
      if (Number.isNaN(expirationDate.getTime()) || expirationDate.getTime() <= Date.now()) {
        throw new GovcredError('invalid_request', 'expirationDate must be a date-time in the future');
      }
    } else {
      expirationDate = definition.expirationDate?.(claims);
    }
    return { type, subjectDid, claims, expirationDate };
  }

  /**
   * Issues one credential: checks, a reserved random status index, signing (outside any transaction), then the
   * record and its audit entry committed in a group commit shared with concurrent issuances. Returns the JWT
   * only after that commit.
   */
  async issue(agency: Agency, request: CredentialRequest): Promise<{ jwt: string; credentialId: string }> {
    const prepared = this.prepare(agency, request);
    const signer = await this.agencies.signingKey(agency.id);
    for (let attempt = 0; ; attempt++) {
      const index = await this.indexes.reserve(signer.id);
      let signed: Signed;
      try {
        signed = await this.sign(signer, prepared, index);
      } catch (error) {
        this.indexes.release(signer.id, index);
        throw error;
      }
      try {
        await this.db.writeGrouped((m) => this.record(m, signer, prepared, signed));
        return { jwt: signed.jwt, credentialId: signed.credentialId };
      } catch (error) {
        if (error instanceof QueryFailedError && attempt < 4) {
          // Another replica took the same index between our draw and insert: draw (and sign) again.
          this.indexes.markTaken(signer.id, index);
          continue;
        }
        this.indexes.release(signer.id, index);
        throw error;
      }
    }
  }

  /** Signs and records one prepared credential inside the caller's write transaction (bulk issuance). */
  async issuePrepared(m: EntityManager, agency: Agency, prepared: PreparedCredential): Promise<{ jwt: string; credentialId: string }> {
    const index = await this.indexes.reserve(agency.id);
    const signed = await this.sign(agency, prepared, index);
    // If the caller's transaction rolls back, the index stays reserved in memory: never reused, merely unused.
    await this.record(m, agency, prepared, signed);
    return { jwt: signed.jwt, credentialId: signed.credentialId };
  }

  /** Builds the credential in govcred's format with status `index` and signs it with the agency key. */
  private async sign(agency: Agency, prepared: PreparedCredential, index: number): Promise<Signed> {
    const credentialId = `urn:uuid:${randomUUID()}`;
    const unsigned = buildCredential({
      type: prepared.type,
      id: credentialId,
      issuerDid: agency.did,
      subjectDid: prepared.subjectDid,
      claims: prepared.claims,
      schema: schemaReference(prepared.type),
      status: statusEntries({
        chainId: this.chain.chain.chainId,
        statusRegistry: this.chain.chain.statusRegistry,
        owner: agency.identityAddress,
        revocationListId: agency.revocationListId,
        suspensionListId: agency.suspensionListId,
        index,
      }),
      issuanceDate: new Date(),
      expirationDate: prepared.expirationDate,
    });
    const jwt = await this.veramo.signCredential(unsigned, agency.keyId);
    return { jwt, credentialId, index, issuedAt: unsigned.issuanceDate, expiresAt: unsigned.expirationDate ?? null };
  }

  /** The credential's record (no claims) and its audit entry, in the caller's transaction. */
  private async record(m: EntityManager, agency: Agency, prepared: PreparedCredential, signed: Signed): Promise<void> {
    await m.getRepository(IssuedCredential).insert({
      id: signed.credentialId,
      agencyId: agency.id,
      type: prepared.type,
      subjectDid: prepared.subjectDid,
      statusIndex: signed.index,
      state: 'active',
      issuedAt: signed.issuedAt,
      expiresAt: signed.expiresAt,
      updatedAt: new Date().toISOString(),
    });
    await this.audit.append(m, {
      actor: `agency:${agency.id}`,
      agencyId: agency.id,
      action: 'credential.issued',
      data: { credentialId: signed.credentialId, type: prepared.type, statusIndex: signed.index },
    });
  }
}
