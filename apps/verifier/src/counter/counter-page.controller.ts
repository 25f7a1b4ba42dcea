import { existsSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Inject, Logger, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { setPageHeaders } from '../../../common/src/http/page-headers.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';

/** Names Vite gives built assets (`index-<hash>.js`): nothing else is served from the assets folder. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/**
 * The counter page (apps/web/counter → COUNTER_DIR) at `/` and its assets at `/assets/…`: exactly these two
 * routes, so `/` swallows nothing else (the API, `/wallet/`, `/.well-known`, the OpenID4VP endpoints keep their
 * own routes and their 404s). Same origin as the API: the session cookie and CSRF header need no CORS.
 */
@ApiExcludeController()
@Controller()
export class CounterPageController {
  private readonly root: string;

  constructor(@Inject(VERIFIER_CONFIG) config: VerifierConfig) {
    this.root = path.resolve(config.COUNTER_DIR);
    if (!existsSync(path.join(this.root, 'index.html'))) new Logger('Counter').warn(`no counter page in ${this.root} (run npm run build): / answers 404`);
  }

  @Get()
  page(@Res() res: Response): void {
    this.send(res, this.root, 'index.html');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSET_NAME.test(file)) throw new GovcredError('not_found', 'no such file');
    this.send(res, path.join(this.root, 'assets'), file);
  }

  private send(res: Response, dir: string, file: string): void {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new GovcredError('not_found', 'no such file');
    setPageHeaders(res, full);
    res.sendFile(file, { root: dir, dotfiles: 'deny' });
  }
}
