import { Logger, type INestApplication } from '@nestjs/common';
import type { Express, Request, Response } from 'express';
import { readBody } from './body-limit.js';
import { toErrorResponse } from './error-filter.js';

const logger = new Logger('HTTP');

/**
 * Writes a JSON answer in one go. Express's `res.json` would also hash the body for an ETag (useless on a POST
 * answer) and look the content type up by name, per response.
 */
function sendJson(res: Response, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

/**
 * Serves `POST <path>` straight from Express, ahead of Nest's router, for the few routes that run per verification
 * at full load: Nest's guards, interceptors and RxJS plumbing cost about as much CPU there as the JSON work of
 * the request. The route keeps the pipeline's contract step for step: `before` (authentication, as the route's
 * guard) runs before the body is read with `limit`, `handle` answers 200 with JSON, and anything thrown becomes
 * the same status and `{code, message}` body as through the error filter (5xx logged, never echoed). The Nest
 * controller of the same path stays, for the OpenAPI description; it is simply never reached for POST.
 * Call before the app listens (Nest adds its routes to Express when it initialises).
 */
export function leanJsonRoute<C>(
  app: INestApplication,
  path: string,
  limit: string,
  before: (req: Request) => Promise<C>,
  handle: (body: unknown, context: C) => Promise<unknown>,
): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  express.post(path, (req: Request, res: Response) => {
    void (async () => {
      try {
        const context = await before(req);
        await readBody(req, res, limit);
        const answer = await handle((req as Request & { body?: unknown }).body, context);
        sendJson(res, 200, answer);
      } catch (exception) {
        const [status, body] = toErrorResponse(exception);
        if (status >= 500) logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
        if (!res.headersSent) sendJson(res, status, body);
      }
    })();
  });
}
