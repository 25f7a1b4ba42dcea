import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import { errorResponse, formFields, jsonResponse, libraryErrorResponse, toHeaders, type Oid4vciRequest, type Oid4vciResponse } from './http.js';
import type { IssuerContext } from './issuer-context.js';
import { hashSecret, hashTxCode, randomSecret, sameHash } from './secrets.js';

/**
 * Token endpoint, pre-authorized code grant only (OID4VCI 1.0 §6; RFC 6749 §5). The library parses the
 * request and decides the grant's errors; this adds what it leaves to the issuer: the stored offer, the
 * hashed transaction code with its attempt counter, single use, and the access token.
 *
 * Errors (§6.3): unknown, used, expired or locked code, or a wrong tx_code → `invalid_grant`; a missing or
 * unexpected tx_code → `invalid_request`; another grant type → `unsupported_grant_type`.
 */
export async function handleTokenRequest(ctx: IssuerContext, request: Oid4vciRequest): Promise<Oid4vciResponse> {
  const fields = formFields(request.body);
  if (!fields) return errorResponse(400, 'invalid_request', 'the token request must be an application/x-www-form-urlencoded form');
  const now = ctx.clock();
  const httpRequest = { headers: toHeaders(request.headers), method: 'POST' as const, url: ctx.authorizationServerMetadata.token_endpoint };
  try {
    const parsed = ctx.authorizationServer.parseAccessTokenRequest({ accessTokenRequest: fields, request: httpRequest });
    if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) {
      return errorResponse(400, 'unsupported_grant_type', `only the ${preAuthorizedCodeGrantIdentifier} grant is supported`);
    }
    const code = parsed.grant.preAuthorizedCode;
    const codeHash = hashSecret(code);
    const offer = await ctx.store.findOffer(codeHash);
    if (!offer || offer.credentialIssuer !== ctx.credentialIssuer) return errorResponse(400, 'invalid_grant', 'unknown pre-authorized code');
    if (offer.redeemedAt) return errorResponse(400, 'invalid_grant', 'the pre-authorized code was already used');
    if (offer.txCodeFailures >= ctx.maxTxCodeFailures) return errorResponse(400, 'invalid_grant', 'too many wrong transaction codes: the offer is no longer valid');

    // The library compares the transaction code in clear; we keep only its hash. So we compare hashes and hand
    // the library the code it got when they match, or a value that can never match when they do not: its
    // decision table (missing / unexpected → invalid_request, wrong → invalid_grant) then stays the library's.
    const txCode = parsed.grant.txCode;
    let expectedTxCode: string | undefined;
    if (offer.txCodeHash) {
      const matches = txCode !== undefined && sameHash(hashTxCode(code, txCode), offer.txCodeHash);
      expectedTxCode = matches ? txCode : `\u0000${randomSecret()}`;
      if (txCode !== undefined && !matches) {
        const failures = await ctx.store.recordTxCodeFailure(codeHash);
        if (failures >= ctx.maxTxCodeFailures) return errorResponse(400, 'invalid_grant', 'wrong transaction code; too many wrong codes: the offer is no longer valid');
      }
    }
    await ctx.authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
      authorizationServerMetadata: ctx.authorizationServerMetadata,
      grant: parsed.grant,
      accessTokenRequest: parsed.accessTokenRequest,
      request: httpRequest,
      expectedPreAuthorizedCode: code,
      expectedTxCode,
      preAuthorizedCodeExpiresAt: offer.expiresAt,
      now,
    });

    const accessToken = randomSecret();
    const expiresAt = new Date(now.getTime() + ctx.accessTokenTtlSeconds * 1000);
    const redeemed = await ctx.store.redeemOffer(codeHash, now, ctx.maxTxCodeFailures, {
      tokenHash: hashSecret(accessToken),
      credentialIssuer: ctx.credentialIssuer,
      offerCodeHash: codeHash,
      configurationId: offer.configurationId,
      context: offer.context,
      expiresAt,
    });
    // Lost a race with another redemption of the same code (or the offer just expired or locked).
    if (!redeemed) return errorResponse(400, 'invalid_grant', 'the pre-authorized code is no longer valid');
    // RFC 6749 §5.1. Hand-written: the library's createAccessTokenResponse always mints a JWT access token (see issuer.ts).
    return jsonResponse(200, { access_token: accessToken, token_type: 'Bearer', expires_in: ctx.accessTokenTtlSeconds });
  } catch (error) {
    const response = libraryErrorResponse(error);
    if (response) return response;
    throw error;
  }
}
