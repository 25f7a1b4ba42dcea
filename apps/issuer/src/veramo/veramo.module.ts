import { Module } from '@nestjs/common';
import { VeramoService } from './veramo.service.js';

/** Veramo agent: KMS, DID manager, JWT credentials. */
@Module({ providers: [VeramoService], exports: [VeramoService] })
export class VeramoModule {}
