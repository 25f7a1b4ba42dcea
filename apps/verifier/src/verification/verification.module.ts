import { Module } from '@nestjs/common';
import { PresentationRequestsModule } from '../presentation-requests/presentation-requests.module.js';
import { VerificationController } from './verification.controller.js';
import { VerificationService } from './verification.service.js';

@Module({
  imports: [PresentationRequestsModule],
  controllers: [VerificationController],
  providers: [VerificationService],
})
export class VerificationModule {}
