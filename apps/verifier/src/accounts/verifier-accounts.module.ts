import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VerifierRegistrationModule } from '../registration/verifier-registration.module.js';
import { VerifierAccountEntity } from './entities/verifier-account.entity.js';
import { VerifierAccountsController } from './verifier-accounts.controller.js';
import { VerifierAccountsService } from './verifier-accounts.service.js';

/** Verifier accounts (relying parties) and their API keys. */
@Module({
  imports: [TypeOrmModule.forFeature([VerifierAccountEntity]), VerifierRegistrationModule],
  controllers: [VerifierAccountsController],
  providers: [VerifierAccountsService],
})
export class VerifierAccountsModule {}
