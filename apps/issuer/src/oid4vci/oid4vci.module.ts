import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { TitlesModule } from '../titles/titles.module.js';
import { Oid4vciOffersController, Oid4vciProtocolController } from './oid4vci.controller.js';
import { Oid4vciService } from './oid4vci.service.js';
import { Oid4vciTypeormStore } from './oid4vci-typeorm.store.js';
import { WALLET_CORS_ROUTES, walletCors } from './wallet-cors.js';

/** OpenID for Verifiable Credential Issuance: offers for agencies, the protocol endpoints for wallets. */
@Module({
  imports: [AgenciesModule, AuditModule, ChainModule, CredentialsModule, TitlesModule],
  controllers: [Oid4vciOffersController, Oid4vciProtocolController],
  providers: [Oid4vciService, Oid4vciTypeormStore],
  exports: [Oid4vciService],
})
export class Oid4vciModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(walletCors).forRoutes(...WALLET_CORS_ROUTES);
  }
}
