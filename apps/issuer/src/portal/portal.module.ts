import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ServeStaticModule, type ServeStaticModuleOptions } from '@nestjs/serve-static';
import { setPageHeaders } from '../../../common/src/http/page-headers.js';
import type { IssuerConfig } from '../config/issuer.config.js';

/** Where the portal is served: same origin as the API, so its session cookie and CSRF header need no CORS. */
export const PORTAL_PATH = '/portal';

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
      serveStaticOptions: { index: false, dotfiles: 'deny', setHeaders: setPageHeaders },
    };
    return { module: PortalModule, imports: [ServeStaticModule.forRoot(options)] };
  }
}
