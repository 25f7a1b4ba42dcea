import { Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service.js';

/** Idempotency-Key support for the issuance routes. */
@Module({ providers: [IdempotencyService], exports: [IdempotencyService] })
export class IdempotencyModule {}
