import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createHttpTerminator } from 'http-terminator';
import { BodyReaderInterceptor } from './body-limit.js';
import { GovcredExceptionFilter } from './error-filter.js';

/** How long requests in flight may take to finish when the app closes (a cluster worker is killed after 10 s). */
const SHUTDOWN_GRACE_MS = 3_000;

/** What {@link configureApp} needs to know about a service. */
export interface AppDescription {
  title: string;
  description: string;
  version: string;
  /** What `@BodyLimit(SERVICE_BODY_LIMIT)` stands for: the limit of the service's few large-bodied routes. @default '1mb' */
  bodyLimit?: string;
  /** Extra security scheme shown in the docs, e.g. the issuer's API keys. */
  apiKeyHeader?: string;
}

/**
 * The request pipeline of every govcred service, used by main.ts and by the e2e tests alike: no body parsing
 * before the guards (each route reads its body afterwards, with its own limit: see {@link BodyReaderInterceptor}),
 * the one error filter, and OpenAPI (Swagger UI at /docs, the document at /docs-json). The app must be created
 * with `{ bodyParser: false }`.
 */
export function configureApp(app: INestApplication, description: AppDescription): void {
  app.useGlobalInterceptors(new BodyReaderInterceptor(app.get(Reflector), description.bodyLimit ?? '1mb'));
  app.useGlobalFilters(new GovcredExceptionFilter());
  app.enableShutdownHooks();
  // An idle keep-alive connection is closed by the client first (undici and browsers give up after ~4-5 s; load
  // balancers after ~60 s): a server that closes at Node's default 5 s races a client reusing the socket and
  // the request in flight dies with ECONNRESET. Headers must still arrive within a bound (slowloris).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Closing the app closes the HTTP server last (after the shutdown hooks). Node's server.close() waits for every
  // connection that has not sent a request yet (a browser's or load balancer's preconnect) until headersTimeout,
  // past any supervisor's grace: the terminator closes those and idle ones at once, lets requests in flight
  // finish (answering `Connection: close`) for up to SHUTDOWN_GRACE_MS, then closes what is left.
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: SHUTDOWN_GRACE_MS });
  app.getHttpAdapter().close = () => terminator.terminate();

  let builder = new DocumentBuilder().setTitle(description.title).setDescription(description.description).setVersion(description.version);
  if (description.apiKeyHeader) builder = builder.addApiKey({ type: 'apiKey', in: 'header', name: description.apiKeyHeader }, 'apiKey');
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
