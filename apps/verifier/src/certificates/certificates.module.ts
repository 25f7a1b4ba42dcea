import { Module } from '@nestjs/common';
import { CertificatesController } from './certificates.controller.js';
import { CertificatesService } from './certificates.service.js';

/** `GET /certificates/:number`: printed certificates checked from chain data alone. */
@Module({ controllers: [CertificatesController], providers: [CertificatesService] })
export class CertificatesModule {}
