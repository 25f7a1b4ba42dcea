import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GovcredExceptionFilter, type ErrorBody } from './error-filter.js';

/** What {@link configureApp} needs to know about a service. */
export interface AppDescription {
  title: string;
  description: string;
  version: string;
  /** Largest JSON body accepted. @default '1mb' */
  bodyLimit?: string;
  /** Extra security scheme shown in the docs, e.g. the issuer's API keys. */
  apiKeyHeader?: string;
  /** Also parse `application/x-www-form-urlencoded` bodies (OAuth 2.0 token endpoints). @default false */
  formBodies?: boolean;
}

/**
 * The request pipeline of every govcred service, used by main.ts and by the e2e tests alike: JSON body
 * parsing with a size limit and stable error codes for broken bodies, the one error filter, and OpenAPI
 * (Swagger UI at /docs, the document at /docs-json). The app must be created with `{ bodyParser: false }`.
 */
export function configureApp(app: INestApplication, description: AppDescription): void {
  app.use(express.json({ limit: description.bodyLimit ?? '1mb', type: ['application/json', 'application/*+json'] }));
  if (description.formBodies) app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));
  // Body-parser failures happen before Nest's filters see the request.
  app.use((error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    let status = 400;
    let body: ErrorBody = { code: 'invalid_request', message: 'the request body could not be read' };
    if (error.type === 'entity.parse.failed') body = { code: 'malformed_json', message: 'the request body is not valid JSON' };
    else if (error.type === 'entity.too.large') {
      status = 413;
      body = { code: 'payload_too_large', message: `the request body is larger than ${description.bodyLimit ?? '1mb'}` };
    } else if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      status = 415;
    }
    res.status(status).json(body);
  });
  app.useGlobalFilters(new GovcredExceptionFilter());
  app.enableShutdownHooks();

  let builder = new DocumentBuilder().setTitle(description.title).setDescription(description.description).setVersion(description.version);
  if (description.apiKeyHeader) builder = builder.addApiKey({ type: 'apiKey', in: 'header', name: description.apiKeyHeader }, 'apiKey');
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
