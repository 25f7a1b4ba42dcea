import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { VeramoModule } from '../veramo/veramo.module.js';
import { AgenciesAdminController, AgencySelfController } from './agencies.controller.js';
import { AgenciesService } from './agencies.service.js';
import { AgencySetupService } from './agency-setup.service.js';
import { AgencyKeysController } from './agency-keys.controller.js';
import { KeyRotationService } from './key-rotation.service.js';

/** Agencies (tenants): creation, key rotation, API keys. */
@Module({
  imports: [VeramoModule, ChainModule, AuditModule],
  controllers: [AgenciesAdminController, AgencySelfController, AgencyKeysController],
  providers: [AgenciesService, AgencySetupService, KeyRotationService],
  exports: [AgenciesService, AgencySetupService],
})
export class AgenciesModule {}
