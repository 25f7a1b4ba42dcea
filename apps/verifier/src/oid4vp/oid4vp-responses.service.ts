import { Injectable } from '@nestjs/common';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import {
  GovcredError,
  PRESENTATION_FORMAT_VERIFIERS,
  oid4vpCallbacks,
  unansweredDcqlQueries,
  type DcqlCandidate,
  type DcqlFormat,
  type ParsedDcqlQuery,
  type VerificationResult,
} from '../../../../libs/credentials/src/index.js';
import { ChainState } from '../chain/chain-state.js';
import type { Oid4vpRequestEntity } from './entities/oid4vp-request.entity.js';
import { Oid4vpRequestsService } from './oid4vp-requests.service.js';

/** Most presentations one response may carry (per credential query, `multiple` is never asked). */
const MAX_PRESENTATIONS = 10;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The response endpoint (OID4VP 1.0 §8.2): decrypts a `direct_post.jwt` response, checks `state`, accepts
 * one response per request, then verifies every presentation of the `vp_token` with all pipeline checks,
 * bound to this request's nonce and client_id, and that they answer its DCQL query.
 */
@Injectable()
export class Oid4vpResponsesService {
  constructor(
    private readonly requests: Oid4vpRequestsService,
    private readonly chain: ChainState,
  ) {}

  /** @throws GovcredError not_found, request_expired, response_replayed, response_invalid, state_mismatch */
  async respond(id: string, body: unknown): Promise<Record<string, never>> {
    const request = await this.requests.answerable(id);
    const payload = await this.readPayload(request, body);
    if (payload.state !== request.state) throw new GovcredError('state_mismatch', 'the response state is not this request’s');
    // Used up before verifying: a response with the right state came from the wallet that fetched the request.
    await this.requests.markResponded(id);
    const result = await this.verify(request, payload.vp_token);
    await this.requests.storeResult(id, result);
    return {};
  }

  /** The authorization response, decrypted when the request asked for `direct_post.jwt`. */
  private async readPayload(request: Oid4vpRequestEntity, body: unknown): Promise<{ state?: unknown; vp_token: unknown }> {
    if (!isObject(body)) throw new GovcredError('response_invalid', 'the response is a form');
    if (request.responseMode === 'direct_post.jwt') {
      if (typeof body.response !== 'string' || body.response.length > 300_000) throw new GovcredError('response_invalid', 'direct_post.jwt: a `response` JWE is required');
      const callbacks = oid4vpCallbacks({ decryptionJwk: JSON.parse(request.responseKey!) as never });
      const decrypted = await callbacks.decryptJwe(body.response);
      if (!decrypted.decrypted || !decrypted.payload) throw new GovcredError('response_invalid', 'the response JWE does not decrypt with this request’s key');
      let inner: unknown;
      try {
        inner = JSON.parse(decrypted.payload);
      } catch {
        throw new GovcredError('response_invalid', 'the decrypted response is not JSON');
      }
      if (!isObject(inner)) throw new GovcredError('response_invalid', 'the decrypted response is not an object');
      return { state: inner.state, vp_token: inner.vp_token };
    }
    if (body.response !== undefined) throw new GovcredError('response_invalid', 'this request expects a direct_post response');
    let vpToken: unknown = body.vp_token;
    if (typeof vpToken === 'string') {
      try {
        vpToken = JSON.parse(vpToken);
      } catch {
        throw new GovcredError('response_invalid', 'vp_token is not JSON');
      }
    }
    return { state: body.state, vp_token: vpToken };
  }

  private async verify(request: Oid4vpRequestEntity, vpToken: unknown): Promise<VerificationResult> {
    const query = JSON.parse(request.dcqlQuery) as ParsedDcqlQuery;
    const merged: VerificationResult = { verified: false, checks: [], problems: [], credentials: [] };
    const refuse = (message: string): VerificationResult => ({
      ...merged,
      checks: [...merged.checks, { check: 'presentation_format', status: 'failed', path: 'vp_token' }],
      problems: [...merged.problems, { code: 'presentation_malformed', message, path: 'vp_token' }],
    });
    let byId: Record<string, unknown[]>;
    try {
      byId = new Openid4vpVerifier({ callbacks: oid4vpCallbacks({}) as never }).parseDcqlVpToken(vpToken) as Record<string, unknown[]>;
    } catch {
      return refuse('vp_token is not a DCQL vp_token (an object of credential query ids to arrays of presentations)');
    }
    const ids = new Set(query.credentials.map((c) => c.id));
    const stray = Object.keys(byId).find((key) => !ids.has(key));
    if (stray !== undefined) return refuse('vp_token answers a credential query this request did not make');
    if (Object.values(byId).reduce((n, list) => n + list.length, 0) > MAX_PRESENTATIONS) return refuse(`at most ${MAX_PRESENTATIONS} presentations`);

    const ctx = this.chain.verificationContext();
    const presented: Record<string, DcqlCandidate[]> = {};
    for (const credentialQuery of query.credentials) {
      const format = credentialQuery.format as DcqlFormat;
      presented[credentialQuery.id] = [];
      for (const [i, presentation] of (byId[credentialQuery.id] ?? []).entries()) {
        const path = `vp_token.${credentialQuery.id}[${i}]`;
        const result = await PRESENTATION_FORMAT_VERIFIERS[format](presentation, { nonce: request.nonce, audience: request.clientId }, ctx);
        const prefix = (p?: string) => (p ? `${path}.${p}` : path);
        merged.checks.push(...result.checks.map((c) => ({ ...c, path: prefix(c.path) })));
        merged.problems.push(...result.problems.map((p) => ({ ...p, path: prefix(p.path) })));
        const credentials = result.credentials.map((c) => ({ ...c, path: prefix(c.path) }));
        merged.credentials.push(...credentials);
        if (result.holder) merged.holder = result.holder;
        // Only what verified answers the query: a forged credential cannot satisfy it.
        if (result.verified) presented[credentialQuery.id]!.push(...credentials.map((c) => ({ format, type: c.type, claims: c.claims })));
      }
    }
    // A query answered only by presentations that failed verification is judged by those failures alone.
    const unanswered = unansweredDcqlQueries(query, presented).filter((id) => !((byId[id] ?? []).length > 0 && presented[id]!.length === 0));
    const judged = query.credentials.every((c) => !((byId[c.id] ?? []).length > 0 && presented[c.id]!.length === 0));
    if (unanswered.length === 0) merged.checks.push({ check: 'request', status: judged ? 'passed' : 'skipped' });
    else {
      merged.checks.push({ check: 'request', status: 'failed' });
      for (const id of unanswered) {
        const any = presented[id]!.length > 0;
        merged.problems.push({
          code: any ? 'requested_claim_missing' : 'requested_credential_missing',
          message: any ? `the presentation for ${id} does not hold the claims the query asks for` : `no presentation answers ${id}`,
          path: `vp_token.${id}`,
        });
      }
    }
    merged.verified = merged.problems.length === 0 && merged.checks.every((c) => c.status === 'passed');
    return merged;
  }
}
