import { generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import type { Repository } from 'typeorm';
import {
  GovcredError,
  RESPONSE_ENCRYPTION,
  allowInsecureLibraryUrls,
  oid4vpCallbacks,
  parseDcqlQuery,
  requestedScopes,
  type ParsedDcqlQuery,
  type VerificationResult,
} from '../../../../libs/credentials/src/index.js';
import type { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import { VERIFIER_CLOCK } from '../challenges/challenges.service.js';
import { VerifierRegistrationService } from '../registration/verifier-registration.service.js';
import type { CreateOid4vpRequestBody, CreatedOid4vpRequest, Oid4vpRequestView } from './dto/oid4vp.dto.js';
import { Oid4vpRequestEntity } from './entities/oid4vp-request.entity.js';
import { KeyBox } from './key-box.js';

const notFound = () => new GovcredError('not_found', 'no OpenID4VP request with this id');

/** OpenID4VP requests (OID4VP 1.0 §5): signed request objects by reference, single use, results under retention. */
@Injectable()
export class Oid4vpRequestsService {
  constructor(
    @InjectRepository(Oid4vpRequestEntity) private readonly repository: Repository<Oid4vpRequestEntity>,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
    private readonly registrations: VerifierRegistrationService,
  ) {}

  /**
   * Creates a request of `account` for `body.dcql_query`, refused when it asks beyond the account's registration
   * on chain. The request object is signed now (JAR, RFC 9101) with the account's did:ethr key and handed out
   * once at its request_uri.
   * @throws GovcredError invalid_request, verifier_key_missing, request_not_registered, chain_unavailable
   */
  async create(account: VerifierAccountEntity, body: CreateOid4vpRequestBody, origin: string): Promise<CreatedOid4vpRequest> {
    const parsed = parseDcqlQuery(body.dcql_query);
    if (!parsed.ok) throw new GovcredError('invalid_request', `dcql_query: ${parsed.message}`);
    if (!account.did || !account.signingKey || !this.config.VERIFIER_KEY_SECRET) {
      throw new GovcredError('verifier_key_missing', 'this account has no did:ethr signing key held by the verifier');
    }
    this.assertAllowed(account.did, parsed.query);

    const id = randomUUID();
    const base = this.config.VERIFIER_PUBLIC_URL ?? origin;
    // A devnet serves plain http on 127.0.0.1; the library refuses http URLs unless told, for the whole process.
    if (base.startsWith('http:')) allowInsecureLibraryUrls();
    const clientId = `decentralized_identifier:${account.did}`;
    const responseMode = body.response_mode ?? 'direct_post';
    const nonce = randomBytes(32).toString('base64url');
    const state = randomBytes(32).toString('base64url');
    const createdAt = this.now().getTime();
    const expiresAt = createdAt + this.config.CHALLENGE_TTL_SECONDS * 1000;

    let responseKey: JsonWebKey | undefined;
    const clientMetadata: Record<string, unknown> = {
      client_name: account.nameZh,
      vp_formats_supported: {
        'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256K', 'ES256'], 'kb-jwt_alg_values': ['ES256', 'ES256K'] },
        jwt_vc_json: { alg_values: ['ES256K'] },
      },
    };
    if (responseMode === 'direct_post.jwt') {
      // An ephemeral key per request (HAIP): a leaked key opens one response, never another.
      responseKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
      const { d: _d, ...publicJwk } = responseKey;
      clientMetadata.jwks = { keys: [{ ...publicJwk, kid: `${id}#response`, use: 'enc', alg: RESPONSE_ENCRYPTION.alg }] };
      clientMetadata.encrypted_response_enc_values_supported = [...RESPONSE_ENCRYPTION.encValues];
    }

    const signingKeyHex = new KeyBox(this.config.VERIFIER_KEY_SECRET).open(account.signingKey, account.id);
    const verifier = new Openid4vpVerifier({ callbacks: oid4vpCallbacks({ signingKeyHex }) as never });
    const created = await verifier.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: {
        response_type: 'vp_token',
        client_id: clientId,
        response_uri: `${base}/oid4vp/responses/${id}`,
        response_mode: responseMode,
        nonce,
        state,
        dcql_query: parsed.query,
        client_metadata: clientMetadata,
      } as never,
      jar: {
        requestUri: `${base}/oid4vp/requests/${id}/request-object`,
        jwtSigner: { method: 'did', didUrl: `${account.did}#controller`, alg: 'ES256K' },
        expiresInSeconds: this.config.CHALLENGE_TTL_SECONDS,
      },
      now: this.now(),
    });
    await this.repository.insert({
      id,
      verifierId: account.id,
      clientId,
      nonce,
      state,
      responseMode,
      dcqlQuery: JSON.stringify(parsed.query),
      purpose: body.purpose === undefined ? null : JSON.stringify(body.purpose),
      requestObject: created.jar!.authorizationRequestJwt,
      responseKey: responseKey ? JSON.stringify(responseKey) : null,
      createdAt,
      expiresAt,
      fetchedAt: null,
      respondedAt: null,
      status: 'pending',
      result: null,
      resultAt: null,
    });
    return { id, authorizationRequestUri: created.authorizationRequest, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Every credential query within the registration of `did` on chain (the same rule as the wallet's). */
  private assertAllowed(did: string, query: ParsedDcqlQuery): void {
    const scopes = requestedScopes(query);
    const unknown = scopes.find((s) => s.type === undefined);
    if (unknown) throw new GovcredError('invalid_request', `credential query ${unknown.id} names no credential type of the catalog`);
    this.registrations.assertScopesAllowed(did, scopes.map((s) => ({ type: s.type!, paths: s.paths })));
  }

  /**
   * The request object, once: a conditional UPDATE (`fetched_at IS NULL`, not expired) so of two fetches, on any
   * replicas, one gets it.
   * @throws GovcredError not_found, request_expired, request_uri_used
   */
  async fetchRequestObject(id: string): Promise<string> {
    const entity = await this.repository.findOneBy({ id });
    if (!entity) throw notFound();
    const now = this.now().getTime();
    if (entity.expiresAt <= now) throw new GovcredError('request_expired', 'this request has expired');
    const outcome = await this.repository
      .createQueryBuilder()
      .update(Oid4vpRequestEntity)
      .set({ fetchedAt: now })
      .where('id = :id AND fetched_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    if (outcome.affected !== 1) throw new GovcredError('request_uri_used', 'this request object was already fetched');
    return entity.requestObject;
  }

  /** The request a response is addressed to, if it can still be answered. @throws GovcredError not_found, request_expired, response_replayed */
  async answerable(id: string): Promise<Oid4vpRequestEntity> {
    const entity = await this.repository.findOneBy({ id });
    if (!entity || this.pastRetention(entity, this.cutoff())) throw notFound();
    if (entity.respondedAt !== null) throw new GovcredError('response_replayed', 'this request was already answered');
    if (entity.expiresAt <= this.now().getTime()) throw new GovcredError('request_expired', 'this request has expired');
    return entity;
  }

  /** Marks the request answered, once (conditional UPDATE). @throws GovcredError response_replayed */
  async markResponded(id: string): Promise<void> {
    const now = this.now().getTime();
    const outcome = await this.repository
      .createQueryBuilder()
      .update(Oid4vpRequestEntity)
      .set({ respondedAt: now })
      .where('id = :id AND responded_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    if (outcome.affected !== 1) throw new GovcredError('response_replayed', 'this request was already answered');
  }

  async storeResult(id: string, result: VerificationResult): Promise<void> {
    await this.repository.update({ id }, { status: result.verified ? 'verified' : 'refused', result: JSON.stringify(result), resultAt: this.now().getTime() });
  }

  /** The request and its result, for the account that made it (another account's answers as a missing one). */
  async getOwned(id: string, verifierId: string): Promise<Oid4vpRequestView> {
    const entity = await this.repository.findOneBy({ id });
    const cutoff = this.cutoff();
    if (!entity || entity.verifierId !== verifierId || this.pastRetention(entity, cutoff)) throw notFound();
    const status = entity.status === 'pending' && entity.expiresAt <= this.now().getTime() ? 'expired' : entity.status;
    const showResult = entity.result !== null && entity.resultAt !== null && entity.resultAt > cutoff;
    return {
      id: entity.id,
      status,
      createdAt: new Date(entity.createdAt).toISOString(),
      expiresAt: new Date(entity.expiresAt).toISOString(),
      ...(showResult ? { result: JSON.parse(entity.result!) as VerificationResult } : {}),
    };
  }

  /** Deletes requests expired or answered longer than VERIFIER_RESULT_RETENTION_SECONDS ago (idempotent, replica-safe). */
  async purge(): Promise<number> {
    const cutoff = this.cutoff();
    const deleted = await this.repository
      .createQueryBuilder()
      .delete()
      .from(Oid4vpRequestEntity)
      .where('expires_at <= :cutoff OR responded_at <= :cutoff', { cutoff })
      .execute();
    return deleted.affected ?? 0;
  }

  private cutoff(): number {
    return this.now().getTime() - this.config.VERIFIER_RESULT_RETENTION_SECONDS * 1000;
  }

  private pastRetention(entity: Oid4vpRequestEntity, cutoff: number): boolean {
    return entity.expiresAt <= cutoff || (entity.respondedAt !== null && entity.respondedAt <= cutoff);
  }
}
