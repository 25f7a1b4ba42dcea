import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { DEFAULT_SIZE_LOG2, GovcredError, buildCredential, statusEntries } from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { getCredentialType, schemaReference, validateClaims } from '../catalog/catalog.js';
import { ChainService } from '../chain/chain.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { VeramoService } from '../veramo/veramo.service.js';
import type { CredentialRequest } from './dto/issue-credential.dto.js';
import { IssuedCredential } from './entities/issued-credential.entity.js';

/** A request that passed every check: ready to sign. */
export interface PreparedCredential {
  type: string;
  subjectDid: string;
  claims: Record<string, unknown>;
  expirationDate?: Date;
}

/** Status lists hold 2^17 entries (herd privacy); each credential gets a random free one. */
const LIST_SIZE = 2 ** DEFAULT_SIZE_LOG2;
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
  ) {}

  /**
   * Checks a request for `agency`, without side effects.
   * @throws GovcredError unknown_credential_type, credential_type_not_allowed, issuer_mismatch, invalid_subject, invalid_claims
   */
  prepare(agency: Agency, request: CredentialRequest): PreparedCredential {
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

  /** Issues one credential: checks, signs, records it with its audit entry; returns the JWT. */
  async issue(agency: Agency, request: CredentialRequest): Promise<{ jwt: string; credentialId: string }> {
    const prepared = this.prepare(agency, request);
    const signer = await this.agencies.signingKey(agency.id);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.write((m) => this.issuePrepared(m, signer, prepared));
      } catch (error) {
        // Another replica took the same index between our check and insert: draw again.
        if (!(error instanceof QueryFailedError) || attempt >= 4) throw error;
      }
    }
  }

  /** Signs and records one prepared credential inside the caller's write transaction. */
  async issuePrepared(m: EntityManager, agency: Agency, prepared: PreparedCredential): Promise<{ jwt: string; credentialId: string }> {
    const repo = m.getRepository(IssuedCredential);
    const index = await this.freeIndex(m, agency.id);
    const credentialId = `urn:uuid:${randomUUID()}`;
    const issuanceDate = new Date();
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
      issuanceDate,
      expirationDate: prepared.expirationDate,
    });
    const jwt = await this.veramo.signCredential(unsigned, agency.keyId);
    const now = new Date().toISOString();
    await repo.insert({
      id: credentialId,
      agencyId: agency.id,
      type: prepared.type,
      subjectDid: prepared.subjectDid,
      statusIndex: index,
      state: 'active',
      issuedAt: unsigned.issuanceDate,
      expiresAt: unsigned.expirationDate ?? null,
      updatedAt: now,
    });
    await this.audit.append(m, {
      actor: `agency:${agency.id}`,
      agencyId: agency.id,
      action: 'credential.issued',
      data: { credentialId, type: prepared.type, statusIndex: index },
    });
    return { jwt, credentialId };
  }

  /** A random index not yet used by the agency (never sequential: an index must not reveal issuance order). */
  private async freeIndex(m: EntityManager, agencyId: string): Promise<number> {
    const repo = m.getRepository(IssuedCredential);
    for (let i = 0; i < 64; i++) {
      const index = randomInt(0, LIST_SIZE);
      if (!(await repo.existsBy({ agencyId, statusIndex: index }))) return index;
    }
    throw new GovcredError('conflict', 'the agency status list is (nearly) full');
  }
}
