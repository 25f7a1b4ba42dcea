import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '../../common/src/database/data-source-options.js';
import { runsMigrations } from '../../common/src/runtime/cluster.js';
import { VerifierAccountEntity } from './accounts/entities/verifier-account.entity.js';
import { VerifierAccounts1764500000000 } from './accounts/migrations/1764500000000-verifier-accounts.js';
import { VerifierAccountsModule } from './accounts/verifier-accounts.module.js';
import { ChallengesModule } from './challenges/challenges.module.js';
import { VERIFIER_CLOCK } from './challenges/challenges.service.js';
import { ChallengeEntity } from './challenges/entities/challenge.entity.js';
import { CreatePresentationRequests1732170000000 } from './challenges/migrations/1732170000000-create-presentation-requests.js';
import { Challenges1766000000000 } from './challenges/migrations/1766000000000-challenges.js';
import { CertificatesModule } from './certificates/certificates.module.js';
import { ChainState } from './chain/chain-state.js';
import { VERIFIER_CONFIG, type VerifierConfig } from './config/verifier.config.js';
import { COUNTER_ENTITIES, COUNTER_MIGRATIONS, CounterModule } from './counter/counter.module.js';
import { HealthController } from './health/health.controller.js';
import { Oid4vpRequestEntity } from './oid4vp/entities/oid4vp-request.entity.js';
import { Oid4vp1765000000000 } from './oid4vp/migrations/1765000000000-oid4vp.js';
import { Oid4vpModule } from './oid4vp/oid4vp.module.js';
import { VerificationModule } from './verification/verification.module.js';
import { WebWalletModule } from './web-wallet/web-wallet.module.js';

/** What the app is built from: validated settings, the started chain state and a clock. */
export interface VerifierRuntime {
  config: VerifierConfig;
  chain: ChainState;
  now: () => Date;
}

/**
 * The verifier's TypeORM options. Migrations run when the data source starts, except in a cluster worker (the
 * primary had them run once before forking).
 */
export function verifierDataSourceOptions(config: VerifierConfig) {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    sqlitePath: config.VERIFIER_SQLITE_PATH,
    entities: [ChallengeEntity, VerifierAccountEntity, Oid4vpRequestEntity, ...COUNTER_ENTITIES],
    migrations: [CreatePresentationRequests1732170000000, VerifierAccounts1764500000000, Oid4vp1765000000000, Challenges1766000000000, ...COUNTER_MIGRATIONS],
    migrationsTableName: 'verifier_migrations',
    // The verifier stores challenges and results only. Without an fsync per verification, a power loss (not a
    // crash of the process) can undo the last moments' "challenge used" marks, i.e. reopen those challenges until
    // they expire (CHALLENGE_TTL_SECONDS); fsync cost a quarter of the verifier's time per presentation
    // (bench-results/throughput.json). Set VERIFIER_SQLITE_SYNCHRONOUS=FULL to trade that throughput for closing
    // this window.
    sqliteSynchronous: config.VERIFIER_SQLITE_SYNCHRONOUS,
    runMigrations: runsMigrations(),
  });
}

/** The verifier's root module, built from a runtime so tests and main.ts share it. */
@Global()
@Module({})
export class VerifierAppModule {
  static forRoot(runtime: VerifierRuntime): DynamicModule {
    return {
      module: VerifierAppModule,
      imports: [
        // forRootAsync: options are computed when the app is created, not when this file is imported.
        TypeOrmModule.forRootAsync({ useFactory: () => verifierDataSourceOptions(runtime.config) }),
        VerifierAccountsModule,
        ChallengesModule,
        Oid4vpModule,
        VerificationModule,
        CertificatesModule,
        CounterModule,
        WebWalletModule.forConfig(runtime.config),
      ],
      controllers: [HealthController],
      providers: [
        { provide: VERIFIER_CONFIG, useValue: runtime.config },
        { provide: VERIFIER_CLOCK, useValue: runtime.now },
        { provide: ChainState, useValue: runtime.chain },
      ],
      exports: [VERIFIER_CONFIG, VERIFIER_CLOCK, ChainState],
    };
  }
}
