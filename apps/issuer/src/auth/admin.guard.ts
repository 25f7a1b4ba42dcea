import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { hashSecret } from './secrets.js';
import { timingSafeEqual } from 'node:crypto';

/** Admin API: `Authorization: Bearer <ISSUER_ADMIN_TOKEN>`; only its hash is held in memory. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly tokenHash: Buffer;

  constructor(@Inject(ISSUER_CONFIG) config: IssuerConfig) {
    this.tokenHash = Buffer.from(hashSecret(config.ISSUER_ADMIN_TOKEN), 'hex');
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
    if (!match) throw new GovcredError('unauthorized', 'the admin API needs Authorization: Bearer <admin token>');
    if (!timingSafeEqual(Buffer.from(hashSecret(match[1]), 'hex'), this.tokenHash)) {
      throw new GovcredError('unauthorized', 'the admin token is not valid');
    }
    return true;
  }
}
