import { HttpException, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { GovcredError } from '../../../../libs/credentials/src/index.js';

/** Metadata key of a route's {@link BodyPolicy}. */
const BODY_POLICY = 'govcred:body-policy';

/**
 * Stands for the service's configured limit (`ISSUER_BODY_LIMIT`, `VERIFIER_BODY_LIMIT`) in {@link BodyLimit},
 * for the few routes whose bodies are legitimately large (bulk issuance, presentations).
 */
export const SERVICE_BODY_LIMIT = 'service';

/** How a route's request body is read. */
export interface BodyPolicy {
  /** Largest body, in body-parser's notation (`'64kb'`, `'16mb'`), or {@link SERVICE_BODY_LIMIT}. */
  limit: string;
  /** Also accept `application/x-www-form-urlencoded` (OAuth 2.0 token endpoints, OID4VP `direct_post`). @default false */
  form?: boolean;
}

/** Limit of routes that declare none: enough for any small JSON command, far too little to hurt. */
export const DEFAULT_BODY_POLICY: BodyPolicy = { limit: '16kb' };

/**
 * Declares how large a route's (or a controller's) request body may be. The body is read only after the guards
 * accepted the request, so an unauthenticated client never makes the service buffer anything; routes without
 * this decorator get {@link DEFAULT_BODY_POLICY}.
 */
export const BodyLimit = (limit: string, options: { form?: boolean } = {}) => SetMetadata(BODY_POLICY, { limit, ...options } satisfies BodyPolicy);

const JSON_TYPES = ['application/json', 'application/*+json'];

/** One body-parser pair per distinct policy (there are a handful per service). */
const parsers = new Map<string, RequestHandler[]>();

function parsersFor(limit: string, form: boolean): RequestHandler[] {
  const key = `${limit}|${form}`;
  let list = parsers.get(key);
  if (!list) {
    list = [express.json({ limit, type: JSON_TYPES })];
    if (form) list.push(express.urlencoded({ extended: false, limit, parameterLimit: 50 }));
    parsers.set(key, list);
  }
  return list;
}

/** Runs one body-parser middleware as a promise. */
function run(parser: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
}

/** body-parser's failures as the stable codes clients already know. */
function toBodyError(error: { type?: string }, limit: string): Error {
  switch (error.type) {
    case 'entity.parse.failed':
      return new GovcredError('malformed_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new GovcredError('payload_too_large', `the request body is larger than ${limit}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      // 415 has no code of its own: the error filter answers it as `invalid_request`.
      return new HttpException('the request body uses an unsupported encoding or charset', 415);
    default:
      return new GovcredError('invalid_request', 'the request body could not be read');
  }
}

/**
 * Reads and parses a request body with `limit` (JSON; also form-encoded when `form`), as the interceptor below
 * does for Nest routes; body-parser's failures become the stable codes. Bodies of other content types are left
 * unread (`body` undefined).
 */
export async function readBody(req: Request, res: Response, limit: string, form = false): Promise<void> {
  try {
    // body-parser skips a request whose body another parser already read.
    for (const parser of parsersFor(limit, form)) await run(parser, req, res);
  } catch (error) {
    throw toBodyError(error as { type?: string }, limit);
  }
}

/**
 * Reads and parses the request body after the guards (Nest runs middleware, then guards, then interceptors),
 * with the limit the route declares through {@link BodyLimit}. Parameters such as `@Body()` are resolved after
 * the interceptors, so handlers see the parsed body as before. Bodies of other content types are left unread
 * (`body` undefined), as express.json did.
 */
@Injectable()
export class BodyReaderInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    /** What {@link SERVICE_BODY_LIMIT} stands for in this service. */
    private readonly serviceLimit: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const policy = this.reflector.getAllAndOverride<BodyPolicy | undefined>(BODY_POLICY, [context.getHandler(), context.getClass()]) ?? DEFAULT_BODY_POLICY;
    const limit = policy.limit === SERVICE_BODY_LIMIT ? this.serviceLimit : policy.limit;
    const http = context.switchToHttp();
    return from(readBody(http.getRequest<Request>(), http.getResponse<Response>(), limit, policy.form ?? false)).pipe(switchMap(() => next.handle()));
  }
}
