import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Oid4vpModule } from '../oid4vp/oid4vp.module.js';
import { VerifierRegistrationModule } from '../registration/verifier-registration.module.js';
import { PresentationRequestEntity } from './entities/presentation-request.entity.js';
import { PresentationRequestsController } from './presentation-requests.controller.js';
import { PresentationRequestsService } from './presentation-requests.service.js';
import { RetentionService } from './retention.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([PresentationRequestEntity]), VerifierRegistrationModule, Oid4vpModule],
  controllers: [PresentationRequestsController],
  providers: [PresentationRequestsService, RetentionService],
  exports: [PresentationRequestsService, RetentionService],
})
export class PresentationRequestsModule {}
