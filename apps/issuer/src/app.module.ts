import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AgenciesModule } from './agencies/agencies.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuditAnchorModule } from './audit-anchor/audit-anchor.module.js';
import { BulkModule } from './bulk/bulk.module.js';
import { CatalogController } from './catalog/catalog.controller.js';
import { ISSUER_CONFIG, type IssuerConfig } from './config/issuer.config.js';
import { CredentialsModule } from './credentials/credentials.module.js';
import { DatabaseModule } from './database/database.module.js';
import { Oid4vciModule } from './oid4vci/oid4vci.module.js';
import { PortalModule } from './portal/portal.module.js';
import { ReissueModule } from './reissue/reissue.module.js';
import { StaffModule } from './staff/staff.module.js';
import { StatusModule } from './status/status.module.js';
import { TitlesModule } from './titles/titles.module.js';

/** Makes the validated settings injectable everywhere. */
@Global()
@Module({})
class ConfigModule {
  static forConfig(config: IssuerConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ISSUER_CONFIG, useValue: config }], exports: [ISSUER_CONFIG] };
  }
}

/** The issuer service, built from a validated configuration. */
@Module({})
export class IssuerModule {
  static forConfig(config: IssuerConfig): DynamicModule {
    return {
      module: IssuerModule,
      imports: [
        ConfigModule.forConfig(config),
        DatabaseModule.forConfig(),
        AuditModule,
        AuditAnchorModule,
        AgenciesModule,
        // Status before credentials: `credentials/status/:id` must be routed before `credentials/:id`.
        StatusModule,
        BulkModule,
        CredentialsModule,
        Oid4vciModule,
        ReissueModule,
        TitlesModule,
        StaffModule,
        PortalModule.forConfig(config),
      ],
      controllers: [CatalogController],
    };
  }
}
