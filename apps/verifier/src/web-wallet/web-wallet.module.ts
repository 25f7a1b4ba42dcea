import { existsSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Header, Inject, Logger, Module, type DynamicModule } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';

/** Where the citizen web wallet is served. */
export const WALLET_PATH = '/wallet';

/** What the web wallet needs to read the chain from the browser: public settings only, never personal data. */
export interface WebWalletSettings {
  chainId: number;
  rpcUrl: string;
  didRegistry: string;
  trustRegistry: string;
  statusRegistry: string;
  verifierRegistry: string;
  deployBlock: number;
}

export function webWalletSettings(config: VerifierConfig): WebWalletSettings {
  return {
    chainId: config.CHAIN_ID,
    rpcUrl: config.WALLET_CHAIN_RPC_URL ?? config.CHAIN_RPC_URL,
    didRegistry: config.DID_REGISTRY,
    trustRegistry: config.TRUST_REGISTRY,
    statusRegistry: config.STATUS_REGISTRY,
    verifierRegistry: config.VERIFIER_REGISTRY,
    deployBlock: config.DEPLOY_BLOCK,
  };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * The wallet loads nothing from elsewhere (no CDN) and talks to: its own origin (this config, the verifier's
 * OID4VP endpoints), the chain's JSON-RPC, and any agency's OID4VCI endpoints and any verifier over https (which
 * ones is the citizen's choice, by the offer or request they open). Plain http only to this machine, when the
 * chain itself is reached that way (the devnet). No framing, no referrer.
 */
export function walletContentSecurityPolicy(settings: WebWalletSettings): string {
  const rpc = new URL(settings.rpcUrl);
  const devnet = rpc.protocol === 'http:' && LOOPBACK.test(rpc.hostname);
  const connect = ["'self'", rpc.origin, 'https:', ...(devnet ? ['http://127.0.0.1:*', 'http://localhost:*'] : [])];
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "script-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

@ApiTags('web-wallet')
@Controller('wallet')
class WebWalletConfigController {
  constructor(@Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig) {}

  @Get('config.json')
  @Header('cache-control', 'no-cache')
  @ApiOperation({ summary: 'Chain settings of the web wallet (chain id, RPC URL, registry addresses): public, no personal data' })
  settings(): WebWalletSettings {
    return webWalletSettings(this.config);
  }
}

/**
 * The citizen web wallet's built pages (apps/web → WALLET_DIR) at /wallet, client-side routes falling back to
 * index.html, and its chain settings at /wallet/config.json. Its controller is routed before the static files.
 */
@Module({})
export class WebWalletModule {
  static forConfig(config: VerifierConfig): DynamicModule {
    const rootPath = path.resolve(config.WALLET_DIR);
    if (!existsSync(path.join(rootPath, 'index.html'))) {
      new Logger('WebWallet').warn(`no web wallet pages in ${rootPath} (run npm run build): /wallet is not served`);
      return { module: WebWalletModule, controllers: [WebWalletConfigController] };
    }
    const csp = walletContentSecurityPolicy(webWalletSettings(config));
    const setHeaders = (res: Response, file: string) => {
      res.setHeader('content-security-policy', csp);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      // Hashed asset names may be cached for good; index.html must be fetched anew to pick up a new build.
      res.setHeader('cache-control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    };
    return {
      module: WebWalletModule,
      controllers: [WebWalletConfigController],
      imports: [ServeStaticModule.forRoot({ rootPath, serveRoot: WALLET_PATH, serveStaticOptions: { index: false, dotfiles: 'deny', setHeaders } })],
    };
  }
}
