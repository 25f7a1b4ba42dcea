import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VerifierRegistrationModule } from '../registration/verifier-registration.module.js';
import { Oid4vpRequestEntity } from './entities/oid4vp-request.entity.js';
import { Oid4vpController } from './oid4vp.controller.js';
import { Oid4vpRequestsService } from './oid4vp-requests.service.js';
import { Oid4vpResponsesService } from './oid4vp-responses.service.js';

/** OpenID4VP 1.0 requests and responses. */
@Module({
  imports: [TypeOrmModule.forFeature([Oid4vpRequestEntity]), VerifierRegistrationModule],
  controllers: [Oid4vpController],
  providers: [Oid4vpRequestsService, Oid4vpResponsesService],
  exports: [Oid4vpRequestsService],
})
export class Oid4vpModule {}
