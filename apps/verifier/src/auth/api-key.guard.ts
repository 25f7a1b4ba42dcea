import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { hashSecret } from '../../../common/src/auth/secrets.js';
import { VerifierAccountEntity } from '../accounts/entities/verifier-account.entity.js';

/** Header that carries a verifier account's API key. */
export const API_KEY_HEADER = 'x-api-key';

type VerifierRequest = Request & { verifierAccount?: VerifierAccountEntity };

/**
 * The account whose key the request carries; undefined when it carries none. A key that is present but not
 * valid is a 401, never a silent fall-back to the anonymous answer. The key is looked up by its hash, so the
 * stored value never meets the presented one in a comparison and a database dump reveals no key.
 */
export async function authenticate(dataSource: DataSource, request: VerifierRequest): Promise<VerifierAccountEntity | undefined> {
  const key = request.headers[API_KEY_HEADER];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw new GovcredError('unauthorized', 'the API key is not valid');
  const account = await dataSource.getRepository(VerifierAccountEntity).findOneBy({ apiKeyHash: hashSecret(key) });
  if (!account) throw new GovcredError('unauthorized', 'the API key is not valid');
  return account;
}

/** Routes of a verifier account: `x-api-key: <key>` is required. */
@Injectable()
export class VerifierKeyGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<VerifierRequest>();
    const account = await authenticate(this.dataSource, request);
    if (!account) throw new GovcredError('unauthorized', `missing ${API_KEY_HEADER} header`);
    request.verifierAccount = account;
    return true;
  }
}

/** Routes open to wallets that answer differently when a verifier account calls (`x-api-key` optional). */
@Injectable()
export class OptionalVerifierKeyGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<VerifierRequest>();
    request.verifierAccount = await authenticate(this.dataSource, request);
    return true;
  }
}

/** The calling verifier account of a guarded request; undefined for an anonymous caller (a wallet). */
export const CurrentVerifier = createParamDecorator(
  (_data: unknown, context: ExecutionContext): VerifierAccountEntity | undefined => context.switchToHttp().getRequest<VerifierRequest>().verifierAccount,
);
