import { Module } from '@nestjs/common';
import { VeramoModule } from '../veramo/veramo.module.js';
import { ChainService } from './chain.service.js';

/** Chain writes and reads of the issuer. */
@Module({ imports: [VeramoModule], providers: [ChainService], exports: [ChainService] })
export class ChainModule {}
