import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { keccak256, toUtf8Bytes } from 'ethers';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  GovcredError,
  certificateNumber,
  formatProvider,
  holderKeyProblem,
  statusEntries,
  subjectDidProblem,
  type EcPublicJwk,
} from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { getCredentialType, schemaReference, validateClaims } from '../catalog/catalog.js';
import { ChainService } from '../chain/chain.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { Foreground } from '../../../common/src/runtime/foreground.js';
import { runSql } from '../database/raw-sql.js';
import { VeramoService } from '../veramo/veramo.service.js';
import type { CredentialFormat, CredentialRequest, IssueOptions } from './dto/issue-credential.dto.js';
import { IssuedCredential } from './entities/issued-credential.entity.js';
import { StatusIndexAllocator } from './status-index-allocator.js';

/** A request that passed every check: ready to sign. */
export interface PreparedCredential {
  type: string;
  format: CredentialFormat;
  /**
   * Who the record says the credential was issued to: the holder DID; for an SD-JWT VC without one, the
   * holder key's JWK Thumbprint URI (RFC 9278), so the agency can still find the credentials of one key.
   */
  subjectDid: string;
  /** `dc+sd-jwt`: the holder's public key, `cnf.jwk`. */
  holderJwk?: EcPublicJwk;
  claims: Record<string, unknown>;
  expirationDate?: Date;
}

/** An issued credential: the signed JWT (VC-JWT or SD-JWT VC), its format, its record's id and its printable certificate number. */
export interface Issued {
  jwt: string;
  format: CredentialFormat;
  credentialId: string;
  certificateNumber: string | null;
}


/** sha256 (hex) of a credential exactly as issued (compact JWT VC, or SD-JWT VC with every disclosure). */
export function credentialDigest(issued: string): string {
  return createHash('sha256').update(issued, 'utf8').digest('hex');
}

/** RFC 7638 thumbprint (SHA-256) of an EC public key, as an RFC 9278 URI. */
function jwkThumbprintUri(jwk: EcPublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${createHash('sha256').update(canonical).digest('base64url')}`;
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
/** Every column of an issued credential's record, in INSERT order. */
const RECORD_COLUMNS = [
  'id',
  'agencyId',
  'type',
  'format',
  'subjectDid',
  'statusIndex',
  'state',
  'issuedAt',
  'expiresAt',
  'updatedAt',
  'certificateNumber',
  'titleId',
  'credentialHash',
  'predecessorId',
  'successorId',
  'credentialDigest',
  'signingKid',
] as const satisfies ReadonlyArray<keyof IssuedCredential>;
const INSERT_RECORD = `INSERT INTO "issued_credential" (${RECORD_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`;

const DID_PATTERN = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;
const DAY_MS = 86_400_000;

/** How {@link IssuanceService.sign} signs. */
export interface SignOptions {
  /** SD-JWT VC copies: time claims rounded down to the UTC day. @default false */
  dayRounded?: boolean;
  /**
   * With `dayRounded`: the earliest `iat`/`nbf` the agency can vouch for (its accreditation, its key's
   * activation), so a day-rounded time never predates what a verifier checks at issuance.
   */
  notBefore?: Date;
}

/**
 * Turns requests into signed credentials: checks, a random status index, then a JWT VC (Veramo / did-jwt-vc)
 * or an SD-JWT VC (libs/credentials), both signed ES256K by the agency key in the KMS.
 */
@Injectable()
export class IssuanceService {
  /**
   * Single issuances in flight here (issue, OID4VCI credential requests, transfers): a bulk job's chunks
   * (BulkWorker) let them go first.
   */
  readonly foreground = new Foreground();

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
   *   subject_did_invalid, invalid_holder_key, invalid_claims, invalid_request
   */
  prepare(agency: Agency, request: CredentialRequest, options: IssueOptions & { subjectPending?: boolean } = {}): PreparedCredential {
    const format = options.format ?? 'jwt_vc_json';
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
    // An SD-JWT VC is bound to a key, not a DID: a subject DID is optional there (it goes into the record only).
    if ((format === 'jwt_vc_json' || subjectDid !== undefined) && (typeof subjectDid !== 'string' || subjectDid.length > 500 || !DID_PATTERN.test(subjectDid))) {
      throw new GovcredError('invalid_subject', 'credentialSubject.id must be the holder DID');
    }
    // A credential to a DID that can never sign a presentation a verifier accepts is useless to its holder
    // and would be refused by every verifier: refuse it here, where the mistake can still be corrected.
    const subjectProblem = options.subjectPending || typeof subjectDid !== 'string' ? undefined : subjectDidProblem(subjectDid, this.chain.chain.chainId);
    if (subjectProblem) throw new GovcredError('subject_did_invalid', `credentialSubject.id: ${subjectProblem}`);
    let jwk: EcPublicJwk | undefined;
    if (format === 'dc+sd-jwt') {
      const problem = holderKeyProblem(options.holderJwk);
      if (problem) throw new GovcredError('invalid_holder_key', `options.holderJwk: ${problem}`);
      // Its public members, as holderJwk gives them (the point was checked just now: not again).
      const { crv, x, y } = options.holderJwk as unknown as EcPublicJwk;
      jwk = { kty: 'EC', crv, x, y };
    } else if (options.holderJwk !== undefined) {
      throw new GovcredError('invalid_request', 'options.holderJwk is for dc+sd-jwt only: a jwt_vc_json credential is bound to its subject DID');
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
    const subject = typeof subjectDid === 'string' ? subjectDid : jwkThumbprintUri(jwk!);
    return { type, format, subjectDid: subject, ...(jwk ? { holderJwk: jwk } : {}), claims, expirationDate };
  }

  /**
   * Issues one credential: checks, a random status index reserved in the database (so no replica signs with
   * it: never a second signature), signing (outside any transaction), then the record and its audit entry
   * committed in a group commit shared with concurrent issuances. Returns the JWT only after that commit.
   * `alongside` runs in the same transaction (the idempotency record stores the answer with the credential:
   * both commit, or neither). `options.agencyReadNow`: `agency` was read from the database by this request
   * (not kept from earlier), so signing needs no second read of it.
   */
  async issue(
    agency: Agency,
    request: CredentialRequest,
    alongside?: (m: EntityManager, issued: Issued) => Promise<void>,
    options?: IssueOptions & { agencyReadNow?: boolean },
  ): Promise<Issued> {
    return this.foreground.track(() => this.issueNow(agency, request, alongside, options));
  }

  private async issueNow(
    agency: Agency,
    request: CredentialRequest,
    alongside?: (m: EntityManager, issued: Issued) => Promise<void>,
    options?: IssueOptions & { agencyReadNow?: boolean },
  ): Promise<Issued> {
    const prepared = this.prepare(agency, request, options);
    // A row the caller read for this very request (the auth guards) is as fresh as a second read would be.
    const signer = await this.agencies.signingKey(agency.id, options?.agencyReadNow ? agency : undefined);
    const index = await this.indexes.reserve(signer.id);
    let signed: Signed;
    try {
      signed = await this.sign(signer, prepared, index);
    } catch (error) {
      await this.indexes.release(signer.id, [index]);
      throw error;
    }
    const issued = { jwt: signed.jwt, format: prepared.format, credentialId: signed.credentialId, certificateNumber: signed.certificateNumber };
    // A failed commit keeps the index reserved: its outcome may be unknown (merely unused, never reused).
    await this.db.writeGrouped(async (m) => {
      await this.record(m, signer, prepared, signed);
      await alongside?.(m, issued);
    });
    return issued;
  }

  /**
   * Builds the credential in its format with status `index` and signs it with the agency key. A property title
   * carries its superseded and encumbered entries and (JWT VC) its title record (a new random title id, or the
   * chain it continues after a transfer).
   */
  async sign(agency: Agency, prepared: PreparedCredential, index: number, continues?: TitleContinuation, options: SignOptions = {}): Promise<Signed> {
    const definition = getCredentialType(prepared.type);
    const titled = definition?.titleChain === true;
    if (titled && (agency.supersededListId === null || agency.encumberedListId === null)) {
      throw new GovcredError('conflict', 'the agency title lists are not set up yet: retry');
    }
    const credentialId = `urn:uuid:${randomUUID()}`;
    const titleId = titled ? (continues?.titleId ?? `0x${randomBytes(32).toString('hex')}`) : null;
    const status = statusEntries({
      chainId: this.chain.chain.chainId,
      statusRegistry: this.chain.chain.statusRegistry,
      owner: agency.identityAddress,
      revocationListId: agency.revocationListId,
      suspensionListId: agency.suspensionListId,
      ...(titled ? { supersededListId: agency.supersededListId!, encumberedListId: agency.encumberedListId! } : {}),
      index,
    });
    const code = definition?.certificateCode;
    const common = {
      credentialId,
      index,
      certificateNumber: code ? certificateNumber({ identity: agency.identityAddress, typeCode: code, listGroup: agency.revocationListId, index }) : null,
      titleId,
      predecessorId: continues?.predecessorId ?? null,
    };
    // Whole seconds, as JWT times are; whole UTC days for SD-JWT VC copies of a batch (`dayRounded`), so no time
    // links a copy to its siblings or to the moment of issuance — never before `notBefore` (what a verifier
    // checks at issuance: accreditation, key activation), never after now.
    const unit = options.dayRounded ? DAY_MS : 1000;
    const floor = options.dayRounded && options.notBefore ? Math.min(Math.ceil(options.notBefore.getTime() / 1000) * 1000, Math.floor(Date.now() / 1000) * 1000) : 0;
    const now = new Date(Math.max(Math.floor(Date.now() / unit) * unit, floor));
    const until = prepared.expirationDate && (options.dayRounded ? new Date(Math.floor(prepared.expirationDate.getTime() / unit) * unit) : prepared.expirationDate);
    // The format's provider signs (a JWT VC carries the title record; an SD-JWT VC refuses a continued title).
    const issued = await formatProvider(prepared.format).issue({
      type: prepared.type,
      id: credentialId,
      issuerDid: agency.did,
      ...(agency.signingKid ? { kid: agency.signingKid } : {}),
      signer: (input) => this.veramo.signJws(agency.did, agency.keyId, input),
      holder: { did: prepared.subjectDid, ...(prepared.holderJwk ? { jwk: prepared.holderJwk } : {}) },
      claims: prepared.claims,
      statusEntries: status,
      now,
      validUntil: until,
      ...(titleId ? { titleRecord: { titleId, ...(continues ? { predecessor: continues.predecessorHash } : {}) } } : {}),
    });
    const jwt = issued.credential;
    return { ...common, jwt, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt, credentialHash: titled ? keccak256(toUtf8Bytes(jwt)) : null };
  }

  /** The credential's record (no claims) and its audit entry (with `auditData` added), in the caller's transaction. */
  async record(m: EntityManager, agency: Agency, prepared: PreparedCredential, signed: Signed, auditData: Record<string, unknown> = {}): Promise<void> {
    // Hashed once for the row and the audit entry (a credential is ~1.5 kB).
    const digest = credentialDigest(signed.jwt);
    const row: IssuedCredential = {
      id: signed.credentialId,
      agencyId: agency.id,
      type: prepared.type,
      format: prepared.format,
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
      credentialDigest: digest,
      signingKid: agency.signingKid,
      reissuedAt: null,
    };
    // One hand-written INSERT per credential (the repository's insert also re-selects the row for its defaults).
    await runSql(m, INSERT_RECORD, RECORD_COLUMNS.map((c) => row[c]));
    await this.audit.append(m, {
      actor: `agency:${agency.id}`,
      agencyId: agency.id,
      action: 'credential.issued',
      data: {
        credentialId: signed.credentialId,
        type: prepared.type,
        statusIndex: signed.index,
        ...(prepared.format === 'jwt_vc_json' ? {} : { format: prepared.format }),
        // What re-issuance after a key compromise checks a presented credential against (anchored with the log).
        digest,
        ...(agency.signingKid ? { keyId: agency.signingKid } : {}),
        ...auditData,
      },
    });
  }
}
