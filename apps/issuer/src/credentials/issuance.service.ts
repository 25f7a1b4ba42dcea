import { randomBytes, randomUUID } from 'node:crypto';
import { keccak256, toUtf8Bytes } from 'ethers';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GovcredError, buildCredential, certificateNumber, statusEntries, subjectDidProblem } from '../../../../libs/credentials/src/index.js';
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

/** An issued credential: the signed JWT, its id and its printable certificate number. */
export interface Issued {
  jwt: string;
  credentialId: string;
  certificateNumber: string | null;
}

/** Where a transferred title's new certificate continues the chain. */
export interface TitleContinuation {
  titleId: string;
  /** The superseded credential: its id and the keccak256 of its JWT. */
  predecessorId: string;
  predecessorHash: string;
}

/** A signed credential not yet recorded. */
export interface Signed {
  jwt: string;
  credentialId: string;
  index: number;
  issuedAt: string;
  expiresAt: string | null;
  certificateNumber: string | null;
  titleId: string | null;
  credentialHash: string | null;
  predecessorId: string | null;
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
   * Issues one credential: checks, a random status index reserved in the database (so no replica signs with
   * it: never a second signature), signing (outside any transaction), then the record and its audit entry
   * committed in a group commit shared with concurrent issuances. Returns the JWT only after that commit.
   * `alongside` runs in the same transaction (the idempotency record stores the answer with the credential:
   * both commit, or neither).
   */
  async issue(agency: Agency, request: CredentialRequest, alongside?: (m: EntityManager, issued: Issued) => Promise<void>): Promise<Issued> {
    const prepared = this.prepare(agency, request);
    const signer = await this.agencies.signingKey(agency.id);
    const index = await this.indexes.reserve(signer.id);
    let signed: Signed;
    try {
      signed = await this.sign(signer, prepared, index);
    } catch (error) {
      await this.indexes.release(signer.id, [index]);
      throw error;
    }
    const issued = { jwt: signed.jwt, credentialId: signed.credentialId, certificateNumber: signed.certificateNumber };
    // A failed commit keeps the index reserved: its outcome may be unknown (merely unused, never reused).
    await this.db.writeGrouped(async (m) => {
      await this.record(m, signer, prepared, signed);
      await alongside?.(m, issued);
    });
    return issued;
  }

  /**
   * Signs and records one prepared credential with a reserved `index`, inside the caller's write transaction
   * (bulk issuance reserves a chunk's indexes before opening it).
   */
  async issuePrepared(m: EntityManager, agency: Agency, prepared: PreparedCredential, index: number): Promise<Issued> {
    const signed = await this.sign(agency, prepared, index);
    await this.record(m, agency, prepared, signed);
    return { jwt: signed.jwt, credentialId: signed.credentialId, certificateNumber: signed.certificateNumber };
  }

  /**
   * Builds the credential in govcred's format with status `index` and signs it with the agency key. A property
   * title carries its superseded and encumbered entries and its title record (a new random title id, or the
   * chain it continues after a transfer).
   */
  async sign(agency: Agency, prepared: PreparedCredential, index: number, continues?: TitleContinuation): Promise<Signed> {
    const definition = getCredentialType(prepared.type);
    const titled = definition?.titleChain === true;
    if (titled && (agency.supersededListId === null || agency.encumberedListId === null)) {
      throw new GovcredError('conflict', 'the agency title lists are not set up yet: retry');
    }
    const credentialId = `urn:uuid:${randomUUID()}`;
    const titleId = titled ? (continues?.titleId ?? `0x${randomBytes(32).toString('hex')}`) : null;
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
        ...(titled ? { supersededListId: agency.supersededListId!, encumberedListId: agency.encumberedListId! } : {}),
        index,
      }),
      issuanceDate: new Date(),
      expirationDate: prepared.expirationDate,
      ...(titleId ? { titleRecord: { titleId, ...(continues ? { predecessor: continues.predecessorHash } : {}) } } : {}),
    });
    const jwt = await this.veramo.signCredential(unsigned, agency.keyId);
    const code = definition?.certificateCode;
    return {
      jwt,
      credentialId,
      index,
      issuedAt: unsigned.issuanceDate,
      expiresAt: unsigned.expirationDate ?? null,
      certificateNumber: code ? certificateNumber({ identity: agency.identityAddress, typeCode: code, listGroup: agency.revocationListId, index }) : null,
      titleId,
      credentialHash: titled ? keccak256(toUtf8Bytes(jwt)) : null,
      predecessorId: continues?.predecessorId ?? null,
    };
  }

  /** The credential's record (no claims) and its audit entry, in the caller's transaction. */
  async record(m: EntityManager, agency: Agency, prepared: PreparedCredential, signed: Signed): Promise<void> {
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
      certificateNumber: signed.certificateNumber,
      titleId: signed.titleId,
      credentialHash: signed.credentialHash,
      predecessorId: signed.predecessorId,
      successorId: null,
    });
    await this.audit.append(m, {
      actor: `agency:${agency.id}`,
      agencyId: agency.id,
      action: 'credential.issued',
      data: { credentialId: signed.credentialId, type: prepared.type, statusIndex: signed.index },
    });
  }
}
