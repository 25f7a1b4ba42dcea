import { RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces/middleware/middleware-configuration.interface.js';
import type { NextFunction, Request, Response } from 'express';

/**
 * CORS for the public endpoints of the OID4VCI pre-authorized code flow, so a wallet running in a browser on
 * another origin (the citizen web wallet at the verifier's /wallet) can receive a credential: issuer and
 * authorization server metadata, offers by reference, token, nonce and credential. Any origin may call them, as any native wallet
 * may: they take no cookie (`Access-Control-Allow-Credentials` is never sent, so a browser sends none) and are
 * protected by the pre-authorized code, the PIN, the access token and the key proof. Nothing else of the issuer
 * (admin, agency API, portal) answers CORS.
 */
export const WALLET_CORS_ROUTES: RouteInfo[] = [
  { path: '.well-known/openid-credential-issuer/oid4vci/:agencyId', method: RequestMethod.ALL },
  { path: '.well-known/oauth-authorization-server/oid4vci/:agencyId', method: RequestMethod.ALL },
  { path: 'oid4vci/:agencyId/offers/:reference', method: RequestMethod.ALL },
  { path: 'oid4vci/:agencyId/token', method: RequestMethod.ALL },
  { path: 'oid4vci/:agencyId/nonce', method: RequestMethod.ALL },
  { path: 'oid4vci/:agencyId/credential', method: RequestMethod.ALL },
];

/** Request headers the flow sends: form or JSON bodies, the bearer access token, DPoP (RFC 9449) proofs. */
const ALLOWED_HEADERS = 'authorization, content-type, dpop';
/** Response headers the wallet must read: OAuth errors of the credential endpoint (RFC 6750 §3), DPoP nonces. */
const EXPOSED_HEADERS = 'www-authenticate, dpop-nonce';

/** The CORS middleware of {@link WALLET_CORS_ROUTES}: answers preflights itself (204), decorates the rest. */
export function walletCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('access-control-allow-methods', 'GET, POST');
  res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
  res.setHeader('access-control-max-age', '600');
  res.status(204).end();
}
