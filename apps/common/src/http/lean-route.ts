import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readBody } from './body-limit.js';
import { toErrorResponse } from './error-filter.js';

const logger = new Logger('HTTP');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The lean routes of each HTTP server, by {@link routeKey}. */
const routesOf = new WeakMap<Server, Map<string, Handler>>();

/** How Express matches a path: without the query, case-insensitively, one trailing slash optional. */
function routeKey(url: string): string {
  const query = url.indexOf('?');
  const path = (query >= 0 ? url.slice(0, query) : url).toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Puts a dispatcher in front of the server's request listener (Express, under Nest), once per server. */
function leanRoutes(server: Server): Map<string, Handler> {
  let routes = routesOf.get(server);
  if (!routes) {
    const table = new Map<string, Handler>();
    const others = server.listeners('request') as Handler[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const lean = req.method === 'POST' ? table.get(routeKey(req.url ?? '')) : undefined;
      if (lean) lean(req, res);
      else for (const listener of others) listener.call(server, req, res);
    });
    routesOf.set(server, table);
    routes = table;
  }
  return routes;
}

/**
 * Writes a JSON answer in one go (Express's `res.json` would also hash the body for an ETag, useless on a POST
 * answer, and look the content type up by name, per response).
 */
function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

/** What a lean route answers: a status and its JSON body. */
export interface LeanAnswer {
  status: number;
  body: unknown;
}

/**
 * Serves `POST <path>` ahead of Express and Nest, for the few routes that run per credential or verification at
 * full load: profiled under the benches, Nest's guards, interceptors and RxJS plumbing and Express's routing and
 * response helpers cost as much CPU there as all the JSON work of the request. The route keeps the pipeline's
 * contract step for step: `before` (authentication, as the route's guard) runs before the body is read with
 * `limit` (the same body-parser reading and codes as every route), `handle` gives the status and JSON body
 * (as `@HttpCode` and the handler's value, or a status it sets), and anything thrown becomes the same status and
 * `{code, message}` body as through the error filter (5xx logged, never echoed). Other methods and paths go to
 * Express as before; the Nest controller of the same path stays, for the OpenAPI description (and for a request
 * Express alone would match, e.g. an absolute-form URL).
 */
export function leanRoute<C>(
  app: INestApplication,
  path: string,
  limit: string,
  before: (req: Request) => Promise<C>,
  handle: (body: unknown, context: C, req: Request) => Promise<LeanAnswer>,
): void {
  leanRoutes(app.getHttpServer() as Server).set(routeKey(path), (req, res) => {
    void (async () => {
      try {
        const context = await before(req as Request);
        await readBody(req as Request, res as Response, limit);
        const answer = await handle((req as IncomingMessage & { body?: unknown }).body, context, req as Request);
        sendJson(res, answer.status, answer.body);
      } catch (exception) {
        const [status, body] = toErrorResponse(exception);
        if (status >= 500) logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
        if (!res.headersSent) sendJson(res, status, body);
      }
    })();
  });
}

/** A {@link leanRoute} that answers 200 (as a Nest `@Post` with `@HttpCode(200)`) with what `handle` gives. */
export function leanJsonRoute<C>(
  app: INestApplication,
  path: string,
  limit: string,
  before: (req: Request) => Promise<C>,
  handle: (body: unknown, context: C) => Promise<unknown>,
): void {
  leanRoute(app, path, limit, before, async (body, context) => ({ status: 200, body: await handle(body, context) }));
}
