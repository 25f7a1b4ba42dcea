import { Module } from '@nestjs/common';
import { VerifierRegistrationService } from './verifier-registration.service.js';

/** What a verifier account may ask, from the VerifierRegistry on chain. */
@Module({
  providers: [VerifierRegistrationService],
  exports: [VerifierRegistrationService],
})
export class VerifierRegistrationModule {}
