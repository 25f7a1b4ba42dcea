import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Resolvable } from 'did-resolver';
import {
  GovcredError,
  Oid4vciIssuerService,
  createDidResolver,
  type IssueCredential,
} from '../../../../libs/credentials/src/index.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { ChainService } from '../chain/chain.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { IssuanceService } from '../credentials/issuance.service.js';
import { CopyIssuanceService } from '../credentials/copy-issuance.service.js';
import { TransferService } from '../titles/transfer.service.js';
import type { CredentialFormat } from '../credentials/dto/issue-credential.dto.js';
import type { CreateOfferBody, CreatedOffer } from './dto/create-offer.dto.js';
import { offerFormat } from './offer-formats.js';
import { Oid4vciTypeormStore } from './oid4vci-typeorm.store.js';

/** What an offer remembers until the citizen's wallet redeems it. */
interface OfferContext {
  agencyId: string;
  type: string;
  claims: Record<string, unknown>;
  expirationDate?: string;
  /** A refill: the issued credential the copies join. */
  copiesOf?: string;
  /** A title transfer: the certificate the new one replaces when the offer is redeemed. */
  transferOf?: string;
}

/** Stands in for the holder while an offer's claims are checked; the real subject is the DID the wallet proves. */
const PENDING_HOLDER = 'did:govcred:pending-holder';
/** Stands in for the holder key of an SD-JWT VC offer while its claims are checked (a valid P-256 point: the generator). */
const PENDING_HOLDER_JWK = { kty: 'EC', crv: 'P-256', x: 'axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY', y: 'T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU' };

/** Configuration id of a type in a format: `<type>_jwt` (jwt_vc_json, as before SD-JWT VC) or `<type>_sd_jwt` (dc+sd-jwt). */
export function configurationId(type: string, format: CredentialFormat = 'jwt_vc_json'): string {
  return `${type}${offerFormat(format)!.configurationSuffix}`;
}
const HOUSEKEEPING_MS = 60_000;

/**
 * OpenID for Verifiable Credential Issuance on the issuer: each agency is its own Credential Issuer at
 * `<public URL>/oid4vci/<agency id>` (so wallets show the agency's name, and codes of one agency are worthless
 * at another). The protocol is libs/credentials' Oid4vciIssuerService; this class binds it to agencies, the
 * database store, and the one issuance path (IssuanceService: schema checks, status index, signing, audit).
 */
@Injectable()
export class Oid4vciService implements OnModuleDestroy {
  private readonly logger = new Logger('OID4VCI');
  private readonly resolver: Resolvable;
  private readonly timer: NodeJS.Timeout;
  private readonly chainId: number;
  private readonly batchSize: number;
  private baseUrl: string;

  constructor(
    @Inject(ISSUER_CONFIG) config: IssuerConfig,
    private readonly store: Oid4vciTypeormStore,
    private readonly agencies: AgenciesService,
    private readonly issuance: IssuanceService,
    private readonly copies: CopyIssuanceService,
    private readonly transfers: TransferService,
    chain: ChainService,
    private readonly db: DbWriter,
    private readonly audit: AuditService,
  ) {
    this.baseUrl = (config.ISSUER_PUBLIC_URL ?? `http://${config.ISSUER_HOST}:${config.ISSUER_PORT}`).replace(/\/$/, '');
    this.resolver = createDidResolver(chain.chain);
    this.chainId = chain.chain.chainId;
    this.batchSize = config.OID4VCI_BATCH_SIZE;
    // Expired offers, nonces and tokens (and the claims in them) go a minute after they expire.
    this.timer = setInterval(() => {
      this.store.deleteExpired(new Date(Date.now() - HOUSEKEEPING_MS)).catch((e: unknown) => this.logger.warn(`housekeeping: ${String(e)}`));
    }, HOUSEKEEPING_MS);
    this.timer.unref();
  }

  /** Where the service is reached, when only known after listening (port 0 and no ISSUER_PUBLIC_URL). */
  setBaseUrl(url: string): void {
    this.baseUrl = url.replace(/\/$/, '');
  }

  /** The Credential Issuer Identifier of an agency. */
  credentialIssuer(agencyId: string): string {
    return `${this.baseUrl}/oid4vci/${agencyId}`;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The Credential Issuer of one agency (construction does no I/O). */
  async issuerFor(agencyId: string): Promise<{ agency: Agency; service: Oid4vciIssuerService }> {
    const agency = await this.agencies.get(agencyId);
    const service = new Oid4vciIssuerService({
      credentialIssuer: this.credentialIssuer(agency.id),
      display: [
        { name: agency.nameZh, locale: 'zh-CN' },
        { name: agency.nameEn, locale: 'en' },
      ],
      // Every type in both formats: the wallet's key proof decides the binding (did:ethr kid, or jwk).
      configurations: Object.fromEntries(
        agency.credentialTypes.flatMap((type) => [
          [configurationId(type), { type }],
          [configurationId(type, 'dc+sd-jwt'), { type, format: 'dc+sd-jwt' as const }],
        ]),
      ),
      store: this.store,
      resolver: this.resolver,
      holderChainId: this.chainId,
      batchSize: this.batchSize,
      allowHttp: this.baseUrl.startsWith('http://'),
      onError: (message, error) => this.logger.error(`${message}: ${error instanceof Error ? error.message : String(error)}`),
    });
    return { agency, service };
  }

  /**
   * An offer for one credential to a citizen; the claims are checked now, before anyone scans anything. The
   * audit entry names who made it (`actor`) and the offer's type, never its claims.
   */
  async createOffer(agency: Agency, body: CreateOfferBody, actor = `agency:${agency.id}`): Promise<CreatedOffer> {
    const offer = await this.makeOffer(agency, body);
    await this.db.write((m) =>
      this.audit.append(m, {
        actor,
        agencyId: agency.id,
        action: 'offer.created',
        data: {
          type: body.type,
          format: offerFormat(body.format)!.id,
          expiresAt: offer.expiresAt,
          ...(body.copiesOf ? { copiesOf: body.copiesOf } : {}),
          ...(body.transferOf ? { transferOf: body.transferOf } : {}),
        },
      }),
    );
    return offer;
  }

  /**
   * Offers for many citizens at once (a graduating class), each checked on its own: a row that fails gets its
   * error, the others their offers. One audit entry records how many were made and by whom.
   */
  async createOffers(
    agency: Agency,
    common: Omit<CreateOfferBody, 'claims'>,
    items: Array<{ claims: Record<string, unknown> }>,
    actor = `agency:${agency.id}`,
  ): Promise<Array<{ position: number; offer?: CreatedOffer; error?: { code: string; message: string; details?: unknown } }>> {
    const results = [];
    for (const [position, item] of items.entries()) {
      try {
        results.push({ position, offer: await this.makeOffer(agency, { ...common, claims: item.claims }) });
      } catch (error) {
        if (!(error instanceof GovcredError)) throw error;
        results.push({ position, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
      }
    }
    const made = results.filter((r) => r.offer).length;
    await this.db.write((m) =>
      this.audit.append(m, { actor, agencyId: agency.id, action: 'offers.created', data: { type: common.type, format: offerFormat(common.format)!.id, offers: made, refused: items.length - made } }),
    );
    return results;
  }

  private async makeOffer(agency: Agency, body: CreateOfferBody): Promise<CreatedOffer> {
    // JSON null is absent, as for every optional member (and never reaches a lookup: TypeORM drops a null condition).
    const copiesOf = body.copiesOf ?? undefined;
    const transferOf = body.transferOf ?? undefined;
    const format = offerFormat(body.format);
    if (!format) throw new GovcredError('invalid_request', `unknown credential format ${JSON.stringify(body.format).slice(0, 60)}`);
    const credential = { type: body.type, credentialSubject: { ...body.claims, id: PENDING_HOLDER }, expirationDate: body.expirationDate };
    this.issuance.prepare(agency, credential, format.id === 'dc+sd-jwt' ? { format: format.id, holderJwk: PENDING_HOLDER_JWK, subjectPending: true } : { subjectPending: true });
    if (copiesOf !== undefined && transferOf !== undefined) throw new GovcredError('invalid_request', 'an offer refills copies or transfers a title, not both');
    if (copiesOf !== undefined) {
      if (format.id !== 'dc+sd-jwt') throw new GovcredError('invalid_request', 'copiesOf refills an SD-JWT VC: the format must be dc+sd-jwt');
      await this.copies.checkRefill(agency, copiesOf, body.type);
    }
    if (transferOf !== undefined) {
      if (format.id !== 'jwt_vc_json') throw new GovcredError('invalid_request', 'a transferred title is issued as a JWT VC: the format must be jwt_vc_json');
      await this.transfers.transferable(agency, transferOf, body.type);
    }
    const { service } = await this.issuerFor(agency.id);
    const context: OfferContext = {
      agencyId: agency.id,
      type: body.type,
      claims: body.claims,
      expirationDate: body.expirationDate,
      ...(copiesOf !== undefined ? { copiesOf } : {}),
      ...(transferOf !== undefined ? { transferOf } : {}),
    };
    const offer = await service.createOffer({
      configurationId: configurationId(body.type, format.id),
      txCode: body.txCode ?? false,
      expiresInSeconds: body.expiresInSeconds,
      delivery: body.delivery,
      context,
    });
    return {
      offerUri: offer.offerUri,
      credentialIssuer: this.credentialIssuer(agency.id),
      ...(offer.txCode ? { txCode: offer.txCode } : {}),
      expiresAt: offer.expiresAt.toISOString(),
    };
  }

  /**
   * Issues through the one issuance path: a JWT VC about the DID the wallet proved it holds (for a transfer offer,
   * the title's next certificate, through the transfer), or an SD-JWT VC as unlinkable copies, one per key the
   * wallet proved (no subject DID: the record names the first key's thumbprint).
   */
  issueCallback(agency: Agency): IssueCredential {
    // A citizen waiting at a counter: goes before a bulk job's next item in this process (IssuanceService.foreground).
    return (request) => this.issuance.foreground.track(() => this.issueOffered(agency, request));
  }

  private async issueOffered(agency: Agency, { context, holderDid, holderJwk, holderJwks, format }: Parameters<IssueCredential>[0]): Promise<string | string[]> {
    const offer = context as OfferContext;
    if (offer.agencyId !== agency.id) throw new Error('offer context of another agency');
    const validity = offer.expirationDate ? { expirationDate: offer.expirationDate } : {};
    if (format === 'dc+sd-jwt') {
      const keys = holderJwks ?? (holderJwk ? [holderJwk] : []);
      const request = { type: offer.type, credentialSubject: { ...offer.claims }, ...validity };
      const issued = offer.copiesOf ? await this.copies.refill(agency, offer.copiesOf, request, keys) : await this.copies.issue(agency, request, keys);
      return issued.copies;
    }
    const request = { type: offer.type, credentialSubject: { ...offer.claims, id: holderDid }, ...validity };
    // A transfer by offer: to the DID the new owner's wallet proved, as POST /credentials/:id/transfer would (its 409s refuse the request).
    if (typeof offer.transferOf === 'string') return (await this.transfers.transfer(agency, offer.transferOf, request)).jwt;
    return (await this.issuance.issue(agency, request)).jwt;
  }
}
