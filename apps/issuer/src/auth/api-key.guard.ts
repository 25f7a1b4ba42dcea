import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GovcredError } from '../../../../libs/credentials/src/index.js';
import { Agency } from '../agencies/entities/agency.entity.js';
import { hashSecret } from './secrets.js';

/** Header that carries an agency's API key. */
export const API_KEY_HEADER = 'x-api-key';

type AgencyRequest = Request & { agency?: Agency };

/**
 * Agency API: `x-api-key: <key>`. The key is hashed and looked up by its hash, so the stored value never
 * meets the presented one in a comparison (no timing side channel) and a database dump reveals no key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AgencyRequest>();
    const key = request.headers[API_KEY_HEADER];
    if (typeof key !== 'string' || key.length === 0) throw new GovcredError('unauthorized', `missing ${API_KEY_HEADER} header`);
    if (key.length > 200) throw new GovcredError('unauthorized', 'the API key is not valid');
    const agency = await this.dataSource.getRepository(Agency).findOneBy({ apiKeyHash: hashSecret(key) });
    if (!agency) throw new GovcredError('unauthorized', 'the API key is not valid');
    request.agency = agency;
    return true;
  }
}

/** The authenticated agency of a request guarded by {@link ApiKeyGuard}. */
export const CurrentAgency = createParamDecorator((_data: unknown, context: ExecutionContext): Agency => {
  const agency = context.switchToHttp().getRequest<AgencyRequest>().agency;
  if (!agency) throw new GovcredError('unauthorized', 'no agency on this request');
  return agency;
});
