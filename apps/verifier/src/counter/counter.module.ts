import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Oid4vpModule } from '../oid4vp/oid4vp.module.js';
import { VerifierRegistrationModule } from '../registration/verifier-registration.module.js';
import { ClerkSessionGuard } from './clerk-session.guard.js';
import { AccountClerksController, ClerkSessionController, ClerksAdminController } from './clerks.controller.js';
import { ClerksService } from './clerks.service.js';
import { CounterChecksController } from './counter-checks.controller.js';
import { CounterChecksService } from './counter-checks.service.js';
import { CounterPageController } from './counter-page.controller.js';
import { CounterRetentionService } from './counter-retention.service.js';
import { ClerkSessionEntity } from './entities/clerk-session.entity.js';
import { ClerkEntity } from './entities/clerk.entity.js';
import { CounterCheckEntity } from './entities/counter-check.entity.js';
import { CounterSignInFailureEntity } from './entities/counter-sign-in-failure.entity.js';
import { Counter1767000000000 } from './migrations/1767000000000-counter.js';

/** Entities of the counter page, for the verifier's data source. */
export const COUNTER_ENTITIES = [ClerkEntity, ClerkSessionEntity, CounterSignInFailureEntity, CounterCheckEntity];
/** Migrations of the counter page, for the verifier's data source (SQLite and PostgreSQL alike). */
export const COUNTER_MIGRATIONS = [Counter1767000000000];

/**
 * The verifier's counter page: clerks of verifier accounts sign in at `/`, pick or compose a check within the
 * account's registration on chain, show its OpenID4VP request as a QR code and follow the result live.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CounterCheckEntity]), Oid4vpModule, VerifierRegistrationModule],
  controllers: [ClerksAdminController, AccountClerksController, ClerkSessionController, CounterChecksController, CounterPageController],
  providers: [ClerksService, ClerkSessionGuard, CounterChecksService, CounterRetentionService],
})
export class CounterModule {}
