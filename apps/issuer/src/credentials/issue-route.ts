import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { leanRoute } from '../../../common/src/http/lean-route.js';
import { authenticateAgency } from '../auth/agency-auth.guard.js';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyService } from '../idempotency/idempotency.service.js';
import { ISSUE_BODY_LIMIT, answerIssue } from './credentials.controller.js';
import { IssuanceService } from './issuance.service.js';

/** The route has no `@StaffRoles`: API keys only, a staff session is refused as by the guard. */
const API_KEYS_ONLY = () => undefined;

/**
 * `POST /credentials/issue` on the lean path (see leanRoute): the same authentication as AgencyAuthGuard gives
 * this route, the same body limit, validation, Idempotency-Key handling and statuses as CredentialsController.issue,
 * without Nest's per-request pipeline. Profiled under the issuance bench, that pipeline and Express's routing and
 * response helpers were 15–20 % of the issuer's CPU per credential.
 */
export function mountLeanIssueRoute(app: INestApplication): void {
  const issuance = app.get(IssuanceService);
  const idempotency = app.get(IdempotencyService);
  const dataSource = app.get(DataSource);
  leanRoute(
    app,
    '/credentials/issue',
    ISSUE_BODY_LIMIT,
    (req) => authenticateAgency(dataSource, req, API_KEYS_ONLY),
    // As `@Headers(IDEMPOTENCY_KEY_HEADER)`: Node joins a repeated header into one string.
    (body, agency, req) => answerIssue(issuance, idempotency, agency, body, req.headers[IDEMPOTENCY_KEY_HEADER] as string | undefined),
  );
}
