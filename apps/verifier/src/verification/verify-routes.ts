import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { leanJsonRoute } from '../../../common/src/http/lean-route.js';
import { authenticate } from '../auth/api-key.guard.js';
import { answerCredential, answerPresentation } from './verification.controller.js';
import { VerificationService } from './verification.service.js';

/**
 * The two verify routes on the lean path (see leanJsonRoute): the same guard, body limit, validation and answers
 * as VerificationController, without Nest's per-request pipeline. Profiled under the verification bench, that
 * pipeline was a tenth of the verifier's CPU per presentation.
 */
export function mountLeanVerifyRoutes(app: INestApplication, bodyLimit: string): void {
  const service = app.get(VerificationService);
  const dataSource = app.get(DataSource);
  leanJsonRoute(
    app,
    '/presentations/verify',
    bodyLimit,
    (req) => authenticate(dataSource, req),
    (body, verifier) => answerPresentation(service, body, verifier),
  );
  // Open to all, as on the controller: no key is read.
  leanJsonRoute(
    app,
    '/credentials/verify',
    bodyLimit,
    async () => undefined,
    (body) => answerCredential(service, body),
  );
}
