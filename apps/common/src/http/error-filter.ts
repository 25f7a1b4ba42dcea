import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GovcredError, type ErrorCode } from '../../../../libs/credentials/src/index.js';

/** The body of every error response: a stable code, a message safe to show, optional details. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
};

/**
 * The one place errors become HTTP responses. A {@link GovcredError} keeps its code and safe message;
 * Nest's own HTTP exceptions (unknown route, …) get the code of their status; anything else is logged here
 * and answered 500 `internal_error` without its message or stack.
 */
@Catch()
export class GovcredExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = toErrorResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(status).json(body);
  }
}

/** Maps anything thrown to a status and a safe body. */
export function toErrorResponse(exception: unknown): [number, ErrorBody] {
  if (exception instanceof GovcredError) {
    return [exception.httpStatus, { code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) }];
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');
    return [status, { code, message: status >= 500 ? 'internal error' : exception.message }];
  }
  return [500, { code: 'internal_error', message: 'internal error' }];
}
