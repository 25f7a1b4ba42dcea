import { Module } from '@nestjs/common';
import { ChallengesModule } from '../challenges/challenges.module.js';
import { VerifierRegistrationModule } from '../registration/verifier-registration.module.js';
import { VerificationController } from './verification.controller.js';
import { VerificationService } from './verification.service.js';

@Module({
  imports: [ChallengesModule, VerifierRegistrationModule],
  controllers: [VerificationController],
  providers: [VerificationService],
})
export class VerificationModule {}
