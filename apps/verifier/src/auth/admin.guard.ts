import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { hashSecret, matchesHash } from '../../../common/src/auth/secrets.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';

/** Admin API: `Authorization: Bearer <VERIFIER_ADMIN_TOKEN>`; only its hash is held in memory. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly tokenHash: string;

  constructor(@Inject(VERIFIER_CONFIG) config: VerifierConfig) {
    this.tokenHash = hashSecret(config.VERIFIER_ADMIN_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
    if (!match) throw new GovcredError('unauthorized', 'the admin API needs Authorization: Bearer <admin token>');
    if (!matchesHash(match[1], this.tokenHash)) throw new GovcredError('unauthorized', 'the admin token is not valid');
    return true;
  }
}
