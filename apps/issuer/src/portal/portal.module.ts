import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ServeStaticModule, type ServeStaticModuleOptions } from '@nestjs/serve-static';
import type { Response } from 'express';
import type { IssuerConfig } from '../config/issuer.config.js';

/** Where the portal is served: same origin as the API, so its session cookie and CSRF header need no CORS. */
export const PORTAL_PATH = '/portal';

/**
 * Pages only talk to their own origin and load nothing from elsewhere (a closed network has no CDN); the QR
 * code is a data: image. No framing (clickjacking), no referrer to anywhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Response, file: string): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // Hashed asset names may be cached for good; index.html must be fetched anew to pick up a new build.
  res.setHeader('cache-control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** The agency portal's built pages (apps/web → PORTAL_DIR) at /portal, with client-side routes falling back to index.html. */
@Module({})
export class PortalModule {
  static forConfig(config: IssuerConfig): DynamicModule {
    const rootPath = path.resolve(config.PORTAL_DIR);
    if (!existsSync(path.join(rootPath, 'index.html'))) {
      new Logger('Portal').warn(`no portal pages in ${rootPath} (run npm run build): /portal is not served`);
      return { module: PortalModule };
    }
    const options: ServeStaticModuleOptions = {
      rootPath,
      serveRoot: PORTAL_PATH,
      serveStaticOptions: { index: false, dotfiles: 'deny', setHeaders: securityHeaders },
    };
    return { module: PortalModule, imports: [ServeStaticModule.forRoot(options)] };
  }
}
