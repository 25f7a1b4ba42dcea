import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, MoreThan, type Repository } from 'typeorm';
import {
  GovcredError,
  askableClaims,
  checkDcqlQuery,
  composedCheck,
  counterOptions,
  counterPreset,
  getCredentialType,
  presetCheck,
  structuredClaimWords,
  valueLabel,
  type CheckLanguage,
  type CounterCheck,
  type CounterOptions,
  type ProblemCode,
  type VerificationResult,
} from '../../../../libs/credentials/src/index.js';
import { VERIFIER_CLOCK } from '../challenges/challenges.service.js';
import { VERIFIER_CONFIG, type VerifierConfig } from '../config/verifier.config.js';
import type { Oid4vpRequestView } from '../oid4vp/dto/oid4vp.dto.js';
import { Oid4vpRequestsService } from '../oid4vp/oid4vp-requests.service.js';
import { VerifierRegistrationService } from '../registration/verifier-registration.service.js';
import type { ActiveClerkSession } from './clerks.service.js';
import type { CounterCheckView, CounterHistoryEntry, CreateCheckBody, CreatedCounterCheck, ShownClaim } from './dto/counter.dto.js';
import { CounterCheckEntity } from './entities/counter-check.entity.js';

/** Most lines of a clerk's history (the newest). */
const HISTORY_LIMIT = 100;

const notFound = () => new GovcredError('not_found', 'no check of this clerk with this id');

/** The value at `path` of a credential's disclosed claims; undefined when it was not disclosed. */
function valueAt(claims: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = claims;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The name of a check in both languages: its preset's, or "composed check: <type>". */
export function checkLabels(check: CounterCheck): Record<CheckLanguage, string> {
  const preset = check.preset ? counterPreset(check.preset) : undefined;
  if (preset) return { 'zh-CN': preset.labels['zh-CN'].name, en: preset.labels.en.name };
  const type = getCredentialType(check.type);
  return { 'zh-CN': `自定义核验：${type?.labels['zh-CN'].name ?? check.type}`, en: `Composed check: ${type?.labels.en.name ?? check.type}` };
}

/**
 * What the counter shows of a verification result: per verification check passed or failed, the problems'
 * codes, the asked claims as disclosed by a verified presentation, with the type's labels, and whether a
 * verified property title carries a mortgage (a status on chain, like revocation). Nothing else (no issuer,
 * holder key or other claims) reaches the page.
 */
export function counterOutcome(check: CounterCheck, result: VerificationResult): NonNullable<CounterCheckView['outcome']> {
  const checks: NonNullable<CounterCheckView['outcome']>['checks'] = [];
  for (const c of result.checks) {
    const seen = checks.find((line) => line.check === c.check);
    if (!seen) checks.push({ check: c.check, status: c.status });
    else if (c.status === 'failed' || (c.status === 'passed' && seen.status === 'skipped')) seen.status = c.status;
  }
  const problems = [...new Set(result.problems.map((p) => p.code))] as ProblemCode[];
  const claims: ShownClaim[] = [];
  const credential = result.verified ? result.credentials.find((c) => c.type === check.type) : undefined;
  if (credential) {
    const labels = new Map(askableClaims(check.type).map((a) => [a.path.join('.'), a.labels]));
    const definition = getCredentialType(check.type);
    for (const { path } of check.claims) {
      const value = valueAt(credential.claims, path);
      const key = path.join('.');
      if (value === undefined) continue;
      // Coded values in words; a structured one (co-owners, the region) as its members under their labels.
      const zh = valueLabel(definition, 'zh-CN', key, value) ?? structuredClaimWords(check.type, key, value, 'zh-CN');
      const en = valueLabel(definition, 'en', key, value) ?? structuredClaimWords(check.type, key, value, 'en');
      claims.push({ path, labels: labels.get(key) ?? { 'zh-CN': key, en: key }, value, ...(zh !== undefined && en !== undefined ? { valueLabels: { 'zh-CN': zh, en } } : {}) });
    }
  }
  return { verified: result.verified, checks, problems, claims, ...(credential?.encumbered ? { encumbered: true as const } : {}) };
}

/** The counter's checks: what a clerk may ask, asking it over OpenID4VP, following it, and the clerk's history. */
@Injectable()
export class CounterChecksService {
  constructor(
    @InjectRepository(CounterCheckEntity) private readonly repository: Repository<CounterCheckEntity>,
    @Inject(VERIFIER_CONFIG) private readonly config: VerifierConfig,
    @Inject(VERIFIER_CLOCK) private readonly now: () => Date,
    private readonly requests: Oid4vpRequestsService,
    private readonly registrations: VerifierRegistrationService,
  ) {}

  /** The presets (enabled or disabled with the reason) and composable claims of the clerk's account, from its registration on chain. */
  options(active: ActiveClerkSession): CounterOptions {
    const { account } = active;
    if (!account.did || !account.signingKey || !this.config.VERIFIER_KEY_SECRET) return counterOptions({ refusal: 'no_signing_key' });
    const standing = this.registrations.standing(account.did);
    if (!standing.inForce) return counterOptions({ refusal: standing.reason });
    return counterOptions({ scope: standing.registration.credentials });
  }

  /**
   * Asks a check through the verifier's OpenID4VP requests (which refuse anything beyond the registration) for the
   * clerk's own account, and records it in the clerk's history.
   * @throws GovcredError check_invalid, and whatever creating the OpenID4VP request throws
   */
  async create(active: ActiveClerkSession, body: CreateCheckBody, origin: string): Promise<CreatedCounterCheck> {
    const built = 'preset' in body ? presetCheck(body.preset, body.parameter) : composedCheck(body.compose.type, body.compose.claims);
    if (!built.ok) throw new GovcredError('check_invalid', `this check cannot be asked (${built.problem})`, { problem: built.problem });
    const { check } = built;
    const labels = checkLabels(check);
    const created = await this.requests.create(active.account, { dcql_query: checkDcqlQuery(check), purpose: { 'zh-CN': `柜台核验：${labels['zh-CN']}`, en: `Counter check: ${labels.en}` } }, origin);
    const createdAt = this.now().getTime();
    await this.repository.insert({ id: created.id, verifierId: active.account.id, clerkId: active.clerk.id, preset: check.preset ?? null, checkSpec: JSON.stringify(check), createdAt });
    return {
      id: created.id,
      check,
      labels,
      status: 'pending',
      createdAt: new Date(createdAt).toISOString(),
      expiresAt: created.expiresAt,
      authorizationRequestUri: created.authorizationRequestUri,
    };
  }

  /** A check of this clerk (anyone else's, or one past retention, answers as missing). @throws GovcredError not_found */
  async view(active: ActiveClerkSession, id: string): Promise<CounterCheckView> {
    const entity = await this.repository.findOneBy({ id });
    if (!entity || entity.clerkId !== active.clerk.id || entity.verifierId !== active.account.id) throw notFound();
    let request: Oid4vpRequestView;
    try {
      request = await this.requests.getOwned(id, active.account.id);
    } catch {
      throw notFound();
    }
    return this.toView(entity, request);
  }

  /** The clerk's own checks still within retention, newest first: time, check, outcome. */
  async history(active: ActiveClerkSession): Promise<CounterHistoryEntry[]> {
    const rows = await this.repository.find({
      where: { clerkId: active.clerk.id, verifierId: active.account.id, createdAt: MoreThan(this.purgeBefore()) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: HISTORY_LIMIT,
    });
    const entries: CounterHistoryEntry[] = [];
    for (const row of rows) {
      // The request's own retention decides: a result past it is hidden here as everywhere.
      const request = await this.requests.getOwned(row.id, active.account.id).catch(() => undefined);
      if (!request) continue;
      const check = JSON.parse(row.checkSpec) as CounterCheck;
      entries.push({ id: row.id, labels: checkLabels(check), status: request.status, createdAt: new Date(row.createdAt).toISOString() });
    }
    return entries;
  }

  /** Deletes checks whose request is past retention for sure (idempotent, replica-safe). @returns rows deleted */
  async purge(): Promise<number> {
    const deleted = await this.repository.delete({ createdAt: LessThanOrEqual(this.purgeBefore()) });
    return deleted.affected ?? 0;
  }

  /**
   * Checks created at or before this are past retention: their request expired CHALLENGE_TTL_SECONDS after it was
   * made and is kept VERIFIER_RESULT_RETENTION_SECONDS at most after that (an answered one for less).
   */
  private purgeBefore(): number {
    return this.now().getTime() - (this.config.VERIFIER_RESULT_RETENTION_SECONDS + this.config.CHALLENGE_TTL_SECONDS) * 1000;
  }

  private toView(entity: CounterCheckEntity, request: Oid4vpRequestView): CounterCheckView {
    const check = JSON.parse(entity.checkSpec) as CounterCheck;
    return {
      id: entity.id,
      check,
      labels: checkLabels(check),
      status: request.status,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      ...(request.result ? { outcome: counterOutcome(check, request.result) } : {}),
    };
  }
}
